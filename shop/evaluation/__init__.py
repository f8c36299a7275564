"""OCOP evaluation online: rounds, producers' applications and dossiers, the commune's
check, the council's blind scoring, and the decision that creates the certificates."""
