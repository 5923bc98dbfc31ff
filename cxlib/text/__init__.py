"""Comment analytics: personal-data scrubbing, language, themes and sentiment."""
