module tfc.example/gobinding

go 1.19
