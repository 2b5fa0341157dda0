"""One function per user action. Each returns an `Op` (see `gui.tasks`) whose work
runs on the vault thread and calls services only; callers chain `.success()`."""
