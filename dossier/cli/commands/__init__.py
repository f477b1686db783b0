"""One module per command group; each exposes `register(subparsers)`.

A command's parser sets `handler=<function(args, ctx) -> int>` and `needs_vault=True|False`.
"""
