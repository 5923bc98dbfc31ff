"""Charts, formatted tables, notebook display, the HTML pages and the spreadsheet exports."""
