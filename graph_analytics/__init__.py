"""Graph analytics on NetworkX graphs (pure functions, no I/O)."""

__all__: list[str] = []
