"""Safe parsing of untrusted evidence files in a sandboxed child process. Uses only `domain`."""
