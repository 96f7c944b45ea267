"""The plangraph OWL 2 ontology (``plangraph.ttl``) and SHACL shapes (``shapes.ttl``), kept as Turtle files
that Protégé and any RDF tool open as they are.

>>> ontology_path().name
'plangraph.ttl'
"""

from importlib import resources
from pathlib import Path

__all__ = ["ontology_path", "shapes_path", "NAMESPACE"]

#: The ontology namespace; class and property local names are plangraph's public query interface.
NAMESPACE = "https://w3id.org/plangraph/ontology#"


def ontology_path() -> Path:
    """The path of the ontology's Turtle file."""
    return Path(str(resources.files("plangraph") / "ontology" / "plangraph.ttl"))


def shapes_path() -> Path:
    """The path of the SHACL shapes' Turtle file."""
    return Path(str(resources.files("plangraph") / "ontology" / "shapes.ttl"))
