"""The playground: a Bot API of our own on loopback, for the tests and for `python -m bot demo`."""
