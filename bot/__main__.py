"""`python -m bot`: run the bot, or one of the command-line tools (see --help)."""

from bot.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
