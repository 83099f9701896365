enum _PEvidenceKit {}
