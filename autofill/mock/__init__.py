"""`autofill mock …`: the replica of the platform (fixtures/mock_site)."""
