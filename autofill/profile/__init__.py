"""The profile a person writes: model (the contract), loader (YAML with lines), rules (the checker)."""
