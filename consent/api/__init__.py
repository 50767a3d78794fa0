"""The consent app's API: consents, the disclosure check, media requests, releases and takedowns."""
