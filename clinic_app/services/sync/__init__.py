"""Sharing a clinic's vault between laptops through PostgreSQL, end to end encrypted.

Each laptop keeps its full SQLCipher vault and works offline; the server only relays
ciphertext. Design as built: docs/sync.md. Modules: `hlc` (clock), `envelope` (keys,
encryption, signatures), `membership` (the signed log of who may do what), `grants`
(scope keys sealed and signed by an admin), `merge` (per-field merge), `server` (the
PostgreSQL side), `local` (this vault's sync state), `engine` (push and pull), `enrol`
(setup, invitations, joining, removal).
"""
