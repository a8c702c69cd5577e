"""Files people download or the office sends: tables (.xlsx, .csv), charts (.png, .svg), the
briefing pack (.pptx, .pdf), the letters and the report in words (.docx), Biểu 06."""
