"""Defaults a user can change with a flag or a parameter. Light (no RDF engine), so the command
line can show them in its help without loading anything.
"""

__all__ = ["DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS", "CACHE_MAX_BYTES", "STORE_LOCK_WAIT", "HERMIT_MAX_TRIPLES", "RULES_IN_MEMORY_MAX_TRIPLES"]

#: Seconds a query may run before it is stopped.
DEFAULT_TIMEOUT = 60.0
#: Rows (or, for CONSTRUCT and DESCRIBE, triples) an answer may have before it is refused.
DEFAULT_MAX_ROWS = 100_000
#: The size the cache of read and reasoned plans is trimmed to, oldest entries first.
CACHE_MAX_BYTES = 512 * 1024 * 1024
#: Seconds a command waits for another process to finish with an on-disk store before it gives up.
STORE_LOCK_WAIT = 30.0
#: Up to this many asserted triples ``reason`` runs HermiT (consistency and classification);
#: above it, the ontology's rules run inside the store and a rule-based consistency check.
HERMIT_MAX_TRIPLES = 300_000

#: A whole run of the rules over an on-disk store of up to this many triples (in all its graphs)
#: reads them into memory and derives there (about 1 GiB a million); above it, and for every
#: run that starts from new plans, the rules run as queries inside the store.
RULES_IN_MEMORY_MAX_TRIPLES = 4_000_000
