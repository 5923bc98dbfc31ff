"""Reading client exports: formats and encodings, the schema, the workspace, workshop inputs, snapshots."""
