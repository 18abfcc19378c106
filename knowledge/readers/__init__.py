"""One reader per file format; each turns bytes into `Section`s (see knowledge.structure)."""
