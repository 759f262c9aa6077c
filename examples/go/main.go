// main.go: builds z = MatMul(x, w) + b through TensorFlow's C API from Go, runs it and checks the
// values; then shows that a bad graph is an error naming the op. Exit status 0 only if all is right.
package main

import (
	"fmt"
	"math"
	"os"
)

var (
	wVals = []float32{1, 0.5, -1, 2}
	bVals = []float32{0.5, -1}
)

// Model is z = x . w + b with w 2x2 and b length 2.
type Model struct {
	G    *Graph
	X, Z Output
}

func BuildModel() (*Model, error) {
	g := NewGraph()
	x, err := g.Placeholder("x")
	if err == nil {
		var w, b, y Output
		if w, err = g.Const("w", []int64{2, 2}, wVals); err != nil {
			return nil, err
		}
		if b, err = g.Const("b", []int64{2}, bVals); err != nil {
			return nil, err
		}
		if y, err = g.Op("MatMul", "y", x, w); err != nil {
			return nil, err
		}
		var z Output
		if z, err = g.Op("AddV2", "z", y, b); err != nil {
			return nil, err
		}
		return &Model{g, x, z}, nil
	}
	g.Delete()
	return nil, err
}

// Expected computes x . w + b by hand for rows of 2.
func Expected(x []float32) []float32 {
	out := make([]float32, len(x))
	for i := 0; i+1 < len(x); i += 2 {
		for j := 0; j < 2; j++ {
			out[i+j] = x[i]*wVals[j] + x[i+1]*wVals[2+j] + bVals[j]
		}
	}
	return out
}

func run() error {
	fmt.Println("tfc from Go, TensorFlow C API version", Version())
	m, err := BuildModel()
	if err != nil {
		return err
	}
	defer m.G.Delete()
	s, err := NewSession(m.G)
	if err != nil {
		return err
	}
	defer s.Close()
	x := []float32{1, 2, 3, 4}
	z, err := s.Run(map[Output]Tensor{m.X: {Dims: []int64{2, 2}, Vals: x}}, m.Z)
	if err != nil {
		return err
	}
	fmt.Println("z =", z.Vals, "shape", z.Dims)
	for i, want := range Expected(x) {
		if math.Abs(float64(z.Vals[i]-want)) > 1e-5 {
			return fmt.Errorf("z[%d] = %g, want %g", i, z.Vals[i], want)
		}
	}
	if _, err := m.G.Op("MatMul", "bad", m.Z, m.Z, m.Z); err != nil {
		fmt.Println("expected error:", err)
	} else {
		return fmt.Errorf("MatMul with 3 inputs was accepted")
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "go example:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
