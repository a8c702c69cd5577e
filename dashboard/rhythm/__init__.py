"""The daily rhythm without hands: the inbox that imports itself, the scheduled jobs (digest,
17:00 report, monthly report) and the scheduler that runs them once each."""
