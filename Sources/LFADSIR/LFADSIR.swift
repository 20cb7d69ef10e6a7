// Module LFADSIR: the typed LFADS IR, importers, passes and fixed-point numerics.
