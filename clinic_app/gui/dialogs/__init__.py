"""Dialogs: recovery key, client and matter forms, settings, build progress."""
