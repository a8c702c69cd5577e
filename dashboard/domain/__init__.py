"""Pure domain code: indicators and counting rules, periods and working time, units and
scopes, vocabulary, the view query, formatting and naming. No web, no database."""
