// Module HDF5: a pure-Swift reader and writer of the HDF5 file format.
