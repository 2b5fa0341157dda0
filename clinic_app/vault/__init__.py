"""Encrypted storage: the only package that imports sqlcipher3 or writes SQL."""
