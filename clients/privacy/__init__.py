"""The privacy duties towards clients: the application manager's search of the access log and
the subject access request (inzageverzoek)."""
