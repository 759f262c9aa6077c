package main

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestMatMulValues(t *testing.T) {
	m, err := BuildModel()
	if err != nil {
		t.Fatal(err)
	}
	defer m.G.Delete()
	s, err := NewSession(m.G)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, x := range [][]float32{{1, 2, 3, 4}, {-2.5, 0.25}, {0, 0, 1e3, -7, 3, 3}} {
		z, err := s.Run(map[Output]Tensor{m.X: {Dims: []int64{int64(len(x) / 2), 2}, Vals: x}}, m.Z)
		if err != nil {
			t.Fatal(err)
		}
		if len(z.Dims) != 2 || z.Dims[0] != int64(len(x)/2) || z.Dims[1] != 2 {
			t.Fatalf("shape %v", z.Dims)
		}
		for i, want := range Expected(x) {
			if math.Abs(float64(z.Vals[i]-want)) > 1e-4 {
				t.Errorf("x %v: z[%d] = %g, want %g", x, i, z.Vals[i], want)
			}
		}
	}
}

func TestBuildErrorNamesOp(t *testing.T) {
	g := NewGraph()
	defer g.Delete()
	a, err := g.Const("a", []int64{2, 3}, []float32{1, 2, 3, 4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Op("MatMul", "bad_matmul", a, a)
	var e *Error
	if !errors.As(err, &e) || e.Code != 3 || !strings.Contains(e.Message, "bad_matmul") {
		t.Fatalf("want INVALID_ARGUMENT naming bad_matmul, got %v", err)
	}
	if _, err := g.Op("NoSuchOp", "n", a); err == nil || err.(*Error).Code != 5 {
		t.Fatalf("want NOT_FOUND, got %v", err)
	}
}

func TestRunErrorNamesOp(t *testing.T) {
	m, err := BuildModel()
	if err != nil {
		t.Fatal(err)
	}
	defer m.G.Delete()
	s, err := NewSession(m.G)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Run(map[Output]Tensor{m.X: {Dims: []int64{1, 3}, Vals: []float32{1, 2, 3}}}, m.Z)
	if err == nil || !strings.Contains(err.Error(), "'y'") {
		t.Fatalf("want an error naming MatMul 'y', got %v", err)
	}
	if _, err = s.Run(nil, m.Z); err == nil || !strings.Contains(err.Error(), "'x'") {
		t.Fatalf("want an unfed-placeholder error naming 'x', got %v", err)
	}
	if _, err := newFloatTensor([]int64{2, 2}, []float32{1}); err == nil {
		t.Fatal("a short value list was accepted")
	}
}

func TestRunMain(t *testing.T) {
	if err := run(); err != nil {
		t.Fatal(err)
	}
}
