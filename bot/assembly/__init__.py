"""The assembly: building the Application from the kernel (bot/runtime), the jobs and, for the
chat, the handlers. It sits above every other part; only the command line and the tests use it."""
