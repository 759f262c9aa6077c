#!/usr/bin/env python3
"""test_tfc: unittest suite for tfc.py (ctest: python_binding, and python_binding_nonumpy, which
runs it with TFC_PY_NO_NUMPY=1 so the nested-list paths are covered even where NumPy exists).

Checks values of small graphs against hand-computed ones, that errors surface as TFError
subclasses whose message names the op, dtype round-trips, zero-copy feeding and the release of
fed buffers, gradients, GraphDef round-trips, and that train_iris reaches its accuracy."""
import gc
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _tfc_tensor  # noqa: E402
import tfc  # noqa: E402
import train_iris  # noqa: E402

if tfc.HAVE_NUMPY:
    import numpy as np


def as_list(v):
    """A fetched value as nested lists / Python scalars, whichever mode tfc.py is in."""
    return v.tolist() if hasattr(v, "tolist") else v


def matmul_graph():
    """z = x . w + b with x a [None, 2] placeholder (hello.c's graph)."""
    g = tfc.Graph()
    x = g.placeholder(tfc.float32, shape=[None, 2], name="x")
    w = g.constant([[1.0, 0.5], [-1.0, 2.0]], name="w")
    b = g.constant([0.5, -1.0], name="b")
    z = g.op("AddV2", [g.op("MatMul", [x, w], name="y"), b], name="z")[0]
    return g, x, z


def by_hand(xv):
    w, b = [[1.0, 0.5], [-1.0, 2.0]], [0.5, -1.0]
    return [[row[0] * w[0][j] + row[1] * w[1][j] + b[j] for j in range(2)] for row in xv]


class TestValues(unittest.TestCase):
    def test_mode_matches_environment(self):
        # NumPy mode is on exactly when NumPy imports and TFC_PY_NO_NUMPY does not switch it off.
        try:
            import numpy  # noqa: F401
            numpy_present = True
        except ImportError:
            numpy_present = False
        self.assertEqual(tfc.HAVE_NUMPY, numpy_present and not os.environ.get("TFC_PY_NO_NUMPY"))

    def test_matmul_values(self):
        g, x, z = matmul_graph()
        xv = [[1.0, 2.0], [3.0, 4.0], [-2.5, 0.25]]
        self.assertEqual(z.shape, (None, 2))
        self.assertIs(z.dtype, tfc.float32)
        with tfc.Session(g) as s:
            got = s.run(z, {x: xv})
            if tfc.HAVE_NUMPY:
                self.assertIsInstance(got, np.ndarray)
                self.assertEqual(got.dtype, np.float32)
            else:
                self.assertIsInstance(got, list)
            for r_got, r_want in zip(as_list(got), by_hand(xv)):
                for a, b in zip(r_got, r_want):
                    self.assertAlmostEqual(a, b, places=5)
            # by name, several fetches, an Operation fetch runs as a target and yields None
            zv, wv, none = s.run(["z:0", "w", g.operation("b")], {"x": xv[:1]})
            self.assertEqual(as_list(wv), [[1.0, 0.5], [-1.0, 2.0]])
            self.assertIsNone(none)
            self.assertAlmostEqual(as_list(zv)[0][1], by_hand(xv[:1])[0][1], places=5)

    def test_operators_and_scalars(self):
        g = tfc.Graph()
        x = g.placeholder(tfc.float32, name="x")
        y = (x * x - 3.0 * x) / 2.0 + 1.0  # (x^2 - 3x)/2 + 1
        with tfc.Session(g) as s:
            got = s.run(y, {x: 5.0})
            self.assertEqual(got, 6.0)
            self.assertEqual(as_list(s.run(-x, {x: [1.0, -2.0]})), [-1.0, 2.0])

    def test_graph_def_round_trip(self):
        g, _, _ = matmul_graph()
        gd = g.to_graph_def()
        self.assertIsInstance(gd, bytes)
        h = tfc.Graph()
        h.import_graph_def(gd, prefix="imported")
        names = sorted(op.name for op in h.operations())
        self.assertEqual(names, ["imported/b", "imported/w", "imported/x", "imported/y", "imported/z"])
        with tfc.Session(h) as s:
            got = s.run("imported/z:0", {"imported/x:0": [[1.0, 2.0]]})
        self.assertEqual(as_list(got), by_hand([[1.0, 2.0]]))

    def test_gradients(self):
        g = tfc.Graph()
        x = g.placeholder(tfc.float32, shape=[3], name="x")
        other = g.placeholder(tfc.float32, shape=[3], name="other")
        y = g.op("Sum", [x * x + 3.0 * x, g.constant([0])], name="y")[0]  # dy/dx = 2x + 3
        dx, dother = g.gradients(y, [x, other])
        self.assertIsNone(dother)
        with tfc.Session(g) as s:
            self.assertEqual(as_list(s.run(dx, {x: [1.0, -2.0, 0.5]})), [5.0, -1.0, 4.0])

    def test_variables_and_train_step(self):
        # y = 3x + 2 by gradient descent on mean squared error.
        g = tfc.Graph()
        xs = [i / 8.0 - 1.0 for i in range(16)]
        x = g.constant([[v] for v in xs], name="x")
        t = g.constant([[3.0 * v + 2.0] for v in xs], name="t")
        w = g.variable([[0.0]], name="w")
        b = g.variable([0.0], name="b")
        err = (x @ w.value + b.value) - t
        loss = g.op("Mean", [err * err, g.constant([0, 1])], name="loss")[0]
        step, init_slots = g.train_step(loss, [w, b], "gradient_descent", 0.3)
        with tfc.Session(g) as s:
            s.run(targets=[w.initializer, b.initializer])
            if init_slots is not None:
                s.run(targets=init_slots)
            first = float(s.run(loss))
            for _ in range(300):
                s.run(targets=step)
            wv, bv, last = s.run([w.value, b.value, loss])
        self.assertAlmostEqual(as_list(wv)[0][0], 3.0, places=3)
        self.assertAlmostEqual(as_list(bv)[0], 2.0, places=3)
        self.assertLess(float(last), 1e-5 * first)
        with self.assertRaises(ValueError):
            g.train_step(loss, [w], "no_such_optimizer")

    def test_iris_training(self):
        r = train_iris.train(steps=300, verbose=False)
        self.assertGreaterEqual(r["accuracy"], train_iris.MIN_ACCURACY)
        self.assertLess(r["losses"][-1], 0.25 * r["losses"][0])
        self.assertEqual(r["predictions"], list(train_iris.SAMPLE_LABELS))
        self.assertEqual(r["names"], ["setosa", "versicolor", "virginica"])
        # the same seed gives the same run
        self.assertEqual(train_iris.train(steps=20, verbose=False)["losses"],
                         train_iris.train(steps=20, verbose=False)["losses"])


class TestErrors(unittest.TestCase):
    def test_build_error_names_the_op(self):
        g = tfc.Graph()
        a = g.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="a")
        with self.assertRaises(tfc.InvalidArgumentError) as cm:
            g.op("MatMul", [a, a], name="bad_matmul")
        e = cm.exception
        self.assertIsInstance(e, tfc.TFError)
        self.assertEqual(e.code, 3)
        self.assertEqual(e.code_name, "INVALID_ARGUMENT")
        self.assertIn("bad_matmul", e.message)
        self.assertIn("MatMul", e.message)
        with self.assertRaises(KeyError):  # a failed finish leaves the graph unchanged
            g.operation("bad_matmul")
        with self.assertRaises(tfc.NotFoundError) as cm:
            g.op("NoSuchOp", [a], name="n")
        self.assertIn("NoSuchOp", cm.exception.message)
        with self.assertRaises(tfc.InvalidArgumentError):  # duplicate name
            g.op("Identity", [a], name="a")

    def test_python_errors_before_building(self):
        g = tfc.Graph()
        a = g.constant([1.0], name="a")
        n = len(list(g.operations()))
        with self.assertRaises(TypeError):
            g.op("Cast", [a], {"DstT": "not_a_type"}, name="cast")
        with self.assertRaises(TypeError):
            g.op("Identity", ["a:0"], name="ident")
        with self.assertRaises(ValueError):
            g.constant([[1.0, 2.0], [3.0]], name="ragged")
        self.assertEqual(len(list(g.operations())), n)

    def test_run_errors_name_the_op(self):
        g = tfc.Graph()
        x = g.placeholder(tfc.float32, name="x")
        y = g.placeholder(tfc.float32, name="y")
        z = g.op("MatMul", [x, y], name="mm")[0]
        s = tfc.Session(g)
        with self.assertRaises(tfc.InvalidArgumentError) as cm:
            s.run(z, {x: [[1.0, 2.0]], y: [[1.0, 2.0]]})
        self.assertIn("'mm'", cm.exception.message)
        with self.assertRaises(tfc.InvalidArgumentError) as cm:
            s.run(z, {x: [[1.0, 2.0]]})
        self.assertIn("'y'", cm.exception.message)
        with self.assertRaises(KeyError):
            s.run("nothing:0")
        with self.assertRaises((TypeError, ValueError)):
            s.run(z, {x: "abc", y: [[1.0]]})
        # the session still works after errors
        self.assertEqual(as_list(s.run(z, {x: [[1.0, 2.0]], y: [[3.0], [4.0]]})), [[11.0]])
        s.close()
        with self.assertRaises(ValueError):
            s.run(z)
        s.close()  # twice is fine


ROUND_TRIP = [
    (tfc.float32, [[1.5, -2.25], [3.0, 0.0]]),
    (tfc.float64, [1e-300, -2.5, 1.0 / 3.0]),
    (tfc.int32, [[-2**31, 2**31 - 1, 0]]),
    (tfc.int64, [-2**63, 2**63 - 1, 7]),
    (tfc.bool_, [[True, False], [False, True]]),
    (tfc.uint8, [0, 255, 17]),
    (tfc.int8, [-128, 127]),
    (tfc.int16, [-32768, 32767]),
    (tfc.uint16, [65535, 1]),
    (tfc.float16, [0.5, -1024.0]),
    (tfc.float32, 2.5),
    (tfc.int32, []),
    (tfc.string, [b"ab", b"c\x00d", b""]),
]


class TestDtypes(unittest.TestCase):
    def test_round_trip_through_identity_and_const(self):
        for dt, value in ROUND_TRIP:
            with self.subTest(dtype=dt.name, value=value):
                g = tfc.Graph()
                x = g.placeholder(dt, name="x")
                ident = g.op("Identity", [x], name="ident")[0]
                c = g.constant(value, dtype=dt, name="c")
                self.assertIs(c.dtype, dt)
                with tfc.Session(g) as s:
                    fed, const = s.run([ident, c], {x: value})
                self.assertEqual(as_list(fed), value)
                self.assertEqual(as_list(const), value)
                t = tfc.Tensor(value, dt)
                self.assertIs(t.dtype, dt)
                self.assertEqual(t.tolist(), value)
                t.close()

    def test_inferred_dtypes(self):
        cases = [(1.5, tfc.float32), (3, tfc.int32), (2**40, tfc.int64), (True, tfc.bool_),
                 ([[1, 2], [3, 4]], tfc.int32), ([1, 2.5], tfc.float32), (["a"], tfc.string)]
        for value, dt in cases:
            with self.subTest(value=value):
                t = tfc.Tensor(value)
                self.assertIs(t.dtype, dt)
                self.assertEqual(t.tolist(), [float(v) for v in value] if value == [1, 2.5]
                                 else ([b"a"] if dt is tfc.string else value))

    def test_shapes(self):
        for value, shape in [(1.0, ()), ([], (0,)), ([[1.0, 2.0, 3.0]], (1, 3)), ([[[1]], [[2]]], (2, 1, 1))]:
            t = tfc.Tensor(value)
            self.assertEqual(t.shape, shape)
        t = tfc.Tensor([[], []], tfc.float32)
        self.assertEqual(t.shape, (2, 0))
        self.assertEqual(t.tolist(), [[], []])

    def test_dtype_names(self):
        self.assertIs(tfc.as_dtype("float32"), tfc.float32)
        self.assertIs(tfc.as_dtype("double"), tfc.float64)
        self.assertIs(tfc.as_dtype(9), tfc.int64)
        self.assertIs(tfc.as_dtype(float), tfc.float64)
        with self.assertRaises(TypeError):
            tfc.as_dtype("complex256")


@unittest.skipUnless(tfc.HAVE_NUMPY, "NumPy not available")
class TestNumpy(unittest.TestCase):
    def test_numpy_and_lists_agree(self):
        g, x, z = matmul_graph()
        xv = [[1.0, 2.0], [3.0, 4.0]]
        with tfc.Session(g) as s:
            a = s.run(z, {x: np.array(xv, dtype=np.float32)})
            b = s.run(z, {x: xv})
            c = s.run(z, {x: np.array(xv, dtype=np.float64)})  # converted to the placeholder's float32
            d = s.run(z, {x: np.array([[1.0, 3.0], [2.0, 4.0]], dtype=np.float32).T})  # not contiguous
        for v in (b, c, d):
            np.testing.assert_array_equal(a, v)
        np.testing.assert_allclose(a, by_hand(xv), rtol=1e-6)
        a[0, 0] = 99  # fetched arrays are the caller's own copies
        self.assertTrue(a.flags.writeable)

    def test_numpy_dtypes_kept(self):
        for arr in [np.arange(6, dtype=np.int64).reshape(2, 3), np.array([1.5, 2.5]), np.array([True]),
                    np.float32(4.5), np.array(7, dtype=np.int32)]:
            t = tfc.Tensor(arr)
            self.assertEqual(t.dtype.np_name, arr.dtype.name)
            self.assertEqual(t.shape, arr.shape)
            np.testing.assert_array_equal(t.numpy(), arr)

    def test_zero_copy_feed_is_released(self):
        gc.collect()
        before = len(_tfc_tensor._keepalive)
        arr = np.array([1.0, 2.0, 3.0], dtype=np.float32)
        t = tfc.Tensor(arr, copy=False)
        self.assertEqual(len(_tfc_tensor._keepalive), before + 1)
        arr[1] = 20.0  # shared, not copied
        self.assertEqual(t.tolist(), [1.0, 20.0, 3.0])
        t.close()
        self.assertEqual(len(_tfc_tensor._keepalive), before)
        g, x, z = matmul_graph()
        with tfc.Session(g) as s:
            for _ in range(50):
                s.run(z, {x: np.ones((4, 2), dtype=np.float32)})
        self.assertEqual(len(_tfc_tensor._keepalive), before)

    def test_copy_is_independent(self):
        arr = np.array([1, 2], dtype=np.int32)
        t = tfc.Tensor(arr)
        arr[0] = 5
        self.assertEqual(t.tolist(), [1, 2])


class TestLibrary(unittest.TestCase):
    def test_version_and_path(self):
        self.assertIn("tfc", tfc.version())
        if os.environ.get("TFC_LIBRARY"):
            self.assertEqual(tfc.library_path, os.environ["TFC_LIBRARY"])

    def test_nan_and_inf_survive(self):
        t = tfc.Tensor([math.inf, -math.inf, math.nan], tfc.float64)
        v = t.tolist()
        self.assertEqual(v[:2], [math.inf, -math.inf])
        self.assertTrue(math.isnan(v[2]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
