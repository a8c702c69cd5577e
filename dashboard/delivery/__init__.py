"""Mail: letters made into messages (letters), sent over SMTP (smtp), once per day and address
through the ledger of data_access.deliveries, with retries (outbox); the words for a
delivery's state (status). The content of each letter is made by whoever sends it."""
