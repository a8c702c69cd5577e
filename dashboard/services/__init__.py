"""What a page, a download or a command shows, computed once and cached: reports, one
entry per view, trends, the early warning, flat rows for tables."""
