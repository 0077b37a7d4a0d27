"""``python -m rtmpose.cli COMMAND ...`` is ``rtmpose COMMAND ...``."""
from rtmpose.cli import console_main

console_main()
