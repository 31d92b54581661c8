"""Domain services: plain values in, plain results out; they hold the rules and own the commit."""
