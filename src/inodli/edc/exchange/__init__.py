"""Exchange: CSV per form, CDISC ODM-XML 1.3.2 (clinical data, audit records, signatures), a
data dictionary, and imports that run the edit checks and refuse a file with any bad row."""
