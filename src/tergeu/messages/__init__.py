"""Messages: readers for chat/SMS/e-mail exports and the social-engineering fraud classifier."""
