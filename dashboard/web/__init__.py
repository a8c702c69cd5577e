"""The web server: the app factory and its pages, sessions and logins, access rules,
downloads, background jobs, uploads, headers and limits."""
