// tfc.go: a minimal cgo layer over TensorFlow's C API (tensorflow/c/c_api.h), served by tfc's
// libtfc.so (or TensorFlow's libtensorflow). Build with CGO_CFLAGS=-I<tfc>/include and
// CGO_LDFLAGS="-L<build> -ltfc". Tensors are allocated by tfc (TF_AllocateTensor) and filled by
// copying, so no Go pointer is ever kept by C (cgo's pointer rules).
package main

/*
#cgo LDFLAGS: -ltfc
#include <stdlib.h>
#include <string.h>
#include <tensorflow/c/c_api.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Error is a TF_Status error: the TF_Code and its message (which names the op).
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("tfc code %d: %s", e.Code, e.Message) }

func statusErr(s *C.TF_Status) error {
	if code := C.TF_GetCode(s); code != C.TF_OK {
		return &Error{Code: int(code), Message: C.GoString(C.TF_Message(s))}
	}
	return nil
}

// Graph wraps TF_Graph.
type Graph struct{ g *C.TF_Graph }

func NewGraph() *Graph   { return &Graph{C.TF_NewGraph()} }
func (g *Graph) Delete() { C.TF_DeleteGraph(g.g) }

// Output is one output of an op.
type Output struct{ o C.TF_Output }

// newFloatTensor copies vals into a tfc-owned float tensor of the given shape.
func newFloatTensor(dims []int64, vals []float32) (*C.TF_Tensor, error) {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	if n != int64(len(vals)) {
		return nil, fmt.Errorf("shape %v needs %d values, got %d", dims, n, len(vals))
	}
	var dp *C.int64_t
	if len(dims) > 0 {
		dp = (*C.int64_t)(unsafe.Pointer(&dims[0]))
	}
	t := C.TF_AllocateTensor(C.TF_FLOAT, dp, C.int(len(dims)), C.size_t(4*n))
	if t == nil {
		return nil, fmt.Errorf("TF_AllocateTensor failed")
	}
	if n > 0 {
		C.memcpy(C.TF_TensorData(t), unsafe.Pointer(&vals[0]), C.size_t(4*n))
	}
	return t, nil
}

// op adds an op with the given inputs; set applies attrs (may be nil).
func (g *Graph) op(typ, name string, inputs []Output, set func(*C.TF_OperationDescription, *C.TF_Status)) (Output, error) {
	ct, cn := C.CString(typ), C.CString(name)
	defer C.free(unsafe.Pointer(ct))
	defer C.free(unsafe.Pointer(cn))
	s := C.TF_NewStatus()
	defer C.TF_DeleteStatus(s)
	d := C.TF_NewOperation(g.g, ct, cn)
	for _, in := range inputs {
		C.TF_AddInput(d, in.o)
	}
	if set != nil {
		set(d, s)
	}
	if err := statusErr(s); err != nil {
		ignored := C.TF_NewStatus()
		C.TF_FinishOperation(d, ignored) // always finish: it frees the description
		C.TF_DeleteStatus(ignored)
		return Output{}, err
	}
	op := C.TF_FinishOperation(d, s)
	if err := statusErr(s); err != nil {
		return Output{}, err
	}
	return Output{C.TF_Output{oper: op, index: 0}}, nil
}

func setType(d *C.TF_OperationDescription, name string, t C.TF_DataType) {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	C.TF_SetAttrType(d, cs, t)
}

// Placeholder adds a float placeholder of unknown shape.
func (g *Graph) Placeholder(name string) (Output, error) {
	return g.op("Placeholder", name, nil, func(d *C.TF_OperationDescription, s *C.TF_Status) {
		setType(d, "dtype", C.TF_FLOAT)
	})
}

// Const adds a float constant.
func (g *Graph) Const(name string, dims []int64, vals []float32) (Output, error) {
	t, err := newFloatTensor(dims, vals)
	if err != nil {
		return Output{}, err
	}
	defer C.TF_DeleteTensor(t) // the op shares the buffer; our reference goes
	return g.op("Const", name, nil, func(d *C.TF_OperationDescription, s *C.TF_Status) {
		setType(d, "dtype", C.TF_FLOAT)
		cs := C.CString("value")
		defer C.free(unsafe.Pointer(cs))
		C.TF_SetAttrTensor(d, cs, t, s)
	})
}

// Op adds an op whose attrs are all inferred from its inputs (MatMul, AddV2, Relu, ...).
func (g *Graph) Op(typ, name string, inputs ...Output) (Output, error) {
	return g.op(typ, name, inputs, nil)
}

// Tensor is a fetched float tensor, copied out of tfc.
type Tensor struct {
	Dims []int64
	Vals []float32
}

// Session wraps TF_Session.
type Session struct{ s *C.TF_Session }

func NewSession(g *Graph) (*Session, error) {
	s := C.TF_NewStatus()
	defer C.TF_DeleteStatus(s)
	o := C.TF_NewSessionOptions()
	defer C.TF_DeleteSessionOptions(o)
	sess := C.TF_NewSession(g.g, o, s)
	if err := statusErr(s); err != nil {
		return nil, err
	}
	return &Session{sess}, nil
}

func (s *Session) Close() {
	st := C.TF_NewStatus()
	C.TF_DeleteSession(s.s, st)
	C.TF_DeleteStatus(st)
}

// Run feeds float tensors and fetches one float output.
func (s *Session) Run(feeds map[Output]Tensor, fetch Output) (Tensor, error) {
	var ins []C.TF_Output
	var vals []*C.TF_Tensor
	defer func() {
		for _, t := range vals {
			C.TF_DeleteTensor(t)
		}
	}()
	for k, v := range feeds {
		t, err := newFloatTensor(v.Dims, v.Vals)
		if err != nil {
			return Tensor{}, err
		}
		ins = append(ins, k.o)
		vals = append(vals, t)
	}
	// C arrays, so that C never sees Go memory holding C pointers it might keep.
	n := len(ins)
	cin := (*C.TF_Output)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(C.TF_Output{}))))
	cval := (**C.TF_Tensor)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(uintptr(0)))))
	defer C.free(unsafe.Pointer(cin))
	defer C.free(unsafe.Pointer(cval))
	copy(unsafe.Slice(cin, n+1), ins)
	copy(unsafe.Slice(cval, n+1), vals)
	cout := (*C.TF_Output)(C.calloc(1, C.size_t(unsafe.Sizeof(C.TF_Output{}))))
	cres := (**C.TF_Tensor)(C.calloc(1, C.size_t(unsafe.Sizeof(uintptr(0)))))
	defer C.free(unsafe.Pointer(cout))
	defer C.free(unsafe.Pointer(cres))
	*cout = fetch.o
	st := C.TF_NewStatus()
	defer C.TF_DeleteStatus(st)
	C.TF_SessionRun(s.s, nil, cin, cval, C.int(n), cout, cres, 1, nil, 0, nil, st)
	if err := statusErr(st); err != nil {
		return Tensor{}, err
	}
	t := *cres
	defer C.TF_DeleteTensor(t)
	if C.TF_TensorType(t) != C.TF_FLOAT {
		return Tensor{}, fmt.Errorf("fetched dtype %d, want float", int(C.TF_TensorType(t)))
	}
	var out Tensor
	count := int64(1)
	for i := 0; i < int(C.TF_NumDims(t)); i++ {
		d := int64(C.TF_Dim(t, C.int(i)))
		out.Dims = append(out.Dims, d)
		count *= d
	}
	if uint64(C.TF_TensorByteSize(t)) < uint64(4*count) {
		return Tensor{}, fmt.Errorf("tensor holds fewer bytes than its shape needs")
	}
	out.Vals = make([]float32, count)
	if count > 0 {
		copy(out.Vals, unsafe.Slice((*float32)(C.TF_TensorData(t)), count))
	}
	return out, nil
}

// Version is TF_Version().
func Version() string { return C.GoString(C.TF_Version()) }
