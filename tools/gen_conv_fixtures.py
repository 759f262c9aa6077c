"""Fixtures for the image-shaped nn ops (Conv2D, DepthwiseConv2dNative, MaxPool, AvgPool,
FusedBatchNormV3) computed by real TensorFlow's stock CPU kernels (oneDNN off, so errors and
layouts are those of TensorFlow's own kernels). Run: python3 tools/gen_conv_fixtures.py."""
import os

os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from fixturegen import FixtureWriter  # noqa: E402

rng = np.random.default_rng(3)
out = FixtureWriter(os.path.join(os.path.dirname(__file__), "..", "tests", "data", "conv_cases.txt"),
                    os.path.basename(__file__))
CONV = ["input", "filter"]
F32_TOL = (1e-4, 1e-5)


def rand(shape, dt):
    if np.issubdtype(dt, np.integer):
        return rng.integers(-9, 10, shape).astype(dt)
    return rng.standard_normal(shape).astype(dt)


def conv(name, xs, fs, strides=(1, 1, 1, 1), padding="VALID", dt=np.float32, op="Conv2D", err=False, **kw):
    attrs = {"strides": list(strides), "padding": padding}
    attrs.update(kw)
    tol = F32_TOL if dt == np.float32 else None
    out.case("%s_%s_%s" % (op, name, dt.__name__), op, [rand(xs, dt), rand(fs, dt)], attrs, input_names=CONV,
             tol=tol, expect_error=err)


# ---- Conv2D ----
for dt in [np.float32, np.float64]:
    conv("valid3x3", (2, 5, 5, 3), (3, 3, 3, 4), dt=dt)
    conv("same_s2", (1, 7, 6, 2), (3, 3, 2, 3), (1, 2, 2, 1), "SAME", dt=dt)
    conv("same_even", (2, 4, 5, 2), (2, 2, 2, 3), padding="SAME", dt=dt)
    conv("dil_valid", (1, 7, 7, 2), (3, 2, 2, 2), padding="VALID", dilations=[1, 2, 3, 1], dt=dt)
    conv("dil_same_s2", (1, 8, 7, 3), (3, 3, 3, 2), (1, 2, 1, 1), "SAME", dilations=[1, 2, 2, 1], dt=dt)
    conv("explicit", (1, 5, 6, 2), (3, 3, 2, 2), (1, 2, 1, 1), "EXPLICIT",
         explicit_paddings=[0, 0, 1, 2, 2, 1, 0, 0], dt=dt)
    conv("1x1", (2, 4, 3, 5), (1, 1, 5, 3), dt=dt)
    conv("1x1_s2", (1, 5, 5, 3), (1, 1, 3, 2), (1, 2, 2, 1), "SAME", dt=dt)
    conv("grouped", (1, 5, 5, 4), (3, 3, 2, 6), padding="SAME", dt=dt)
    conv("big_filter", (1, 4, 4, 4), (5, 2, 4, 4), dt=dt)
    conv("empty_batch", (0, 4, 4, 2), (2, 2, 2, 3), dt=dt)
conv("int32_same", (2, 5, 4, 3), (3, 3, 3, 2), (1, 1, 2, 1), "SAME", dt=np.int32)
conv("int32_1x1", (1, 3, 3, 4), (1, 1, 4, 2), dt=np.int32)
conv("lenet_c1", (1, 28, 28, 1), (5, 5, 1, 4), padding="SAME")
conv("lenet_c2", (1, 14, 14, 3), (5, 5, 3, 4), padding="VALID")
conv("err_depth", (1, 4, 4, 4), (2, 2, 3, 4), err=True)
conv("err_groups", (1, 4, 4, 4), (2, 2, 2, 3), err=True)
conv("err_negative", (1, 4, 4, 4), (6, 2, 4, 4), err=True)
conv("err_batch_stride", (1, 4, 4, 4), (2, 2, 4, 4), (2, 1, 1, 1), err=True)
conv("err_stride0", (1, 4, 4, 4), (2, 2, 4, 4), (1, 0, 1, 1), err=True)
conv("err_dilation0", (1, 4, 4, 4), (2, 2, 4, 4), dilations=[1, 0, 1, 1], err=True)
conv("err_nchw", (1, 4, 4, 4), (2, 2, 4, 4), data_format="NCHW", err="cpu")
conv("err_rank", (4, 4, 4), (2, 2, 4, 4), err=True)
conv("err_explicit_len", (1, 4, 4, 4), (2, 2, 4, 4), padding="EXPLICIT", explicit_paddings=[1, 1],
     err=True)

# ---- DepthwiseConv2dNative ----
DW = "DepthwiseConv2dNative"
for dt in [np.float32, np.float64]:
    conv("valid_m2", (2, 5, 5, 3), (3, 3, 3, 2), dt=dt, op=DW)
    conv("same_s2", (1, 7, 6, 2), (3, 3, 2, 1), (1, 2, 2, 1), "SAME", dt=dt, op=DW)
    conv("explicit", (1, 4, 4, 4), (2, 2, 4, 2), padding="EXPLICIT",
         explicit_paddings=[0, 0, 1, 1, 1, 1, 0, 0], dt=dt, op=DW)
conv("err_depth", (1, 4, 4, 4), (2, 2, 3, 2), op=DW, err=True)
conv("err_dilations", (1, 7, 7, 2), (2, 3, 2, 3), padding="SAME", dilations=[1, 2, 2, 1], op=DW, err=True)
conv("err_nchw", (1, 4, 4, 4), (2, 2, 4, 2), op=DW, data_format="NCHW", err="cpu")


# ---- MaxPool, AvgPool ----
def pool(op, name, xs, ksize, strides, padding, dt=np.float32, err=False, **kw):
    attrs = {"ksize": list(ksize), "strides": list(strides), "padding": padding}
    attrs.update(kw)
    x = rand(xs, dt)
    out.case("%s_%s_%s" % (op, name, dt.__name__), op, [x], attrs,
             input_names=["input" if op == "MaxPool" else "value"], expect_error=err)


for dt in [np.float32, np.float64, np.int32, np.int64, np.int8, np.uint8, np.int16, np.uint16]:
    pool("MaxPool", "2x2_valid", (2, 4, 4, 3), (1, 2, 2, 1), (1, 2, 2, 1), "VALID", dt)
for dt in [np.float32, np.float64, np.int32, np.int64]:
    pool("MaxPool", "3x3_s2_same", (1, 7, 6, 2), (1, 3, 3, 1), (1, 2, 2, 1), "SAME", dt)
pool("MaxPool", "3x2_s1_same", (2, 5, 5, 2), (1, 3, 2, 1), (1, 1, 1, 1), "SAME")
pool("MaxPool", "explicit", (1, 4, 5, 2), (1, 2, 2, 1), (1, 2, 2, 1), "EXPLICIT",
     explicit_paddings=[0, 0, 1, 1, 0, 1, 0, 0])
pool("MaxPool", "depth", (1, 3, 3, 6), (1, 1, 1, 3), (1, 1, 1, 3), "VALID")
pool("MaxPool", "empty", (0, 4, 4, 2), (1, 2, 2, 1), (1, 2, 2, 1), "SAME")
pool("MaxPool", "err_batch", (1, 4, 4, 2), (2, 2, 2, 1), (1, 2, 2, 1), "VALID", err=True)
pool("MaxPool", "err_nchw", (1, 4, 4, 2), (1, 1, 2, 2), (1, 1, 2, 2), "VALID", data_format="NCHW", err="cpu")
pool("MaxPool", "err_depth_divide", (1, 4, 4, 4), (1, 1, 1, 3), (1, 1, 1, 3), "VALID", err=True)
pool("MaxPool", "err_ksize0", (1, 4, 4, 4), (1, 0, 2, 1), (1, 2, 2, 1), "VALID", err=True)
pool("MaxPool", "err_ksize5", (1, 4, 4, 4), (1, 2, 2, 1, 1), (1, 2, 2, 1, 1), "VALID", err=True)
pool("MaxPool", "err_negative", (1, 2, 2, 1), (1, 4, 1, 1), (1, 1, 1, 1), "VALID", err=True)
for dt in [np.float32, np.float64]:
    pool("AvgPool", "2x2_valid", (2, 4, 4, 3), (1, 2, 2, 1), (1, 2, 2, 1), "VALID", dt)
    pool("AvgPool", "3x3_s2_same", (1, 7, 6, 2), (1, 3, 3, 1), (1, 2, 2, 1), "SAME", dt)
    pool("AvgPool", "3x2_s1_same", (2, 5, 5, 2), (1, 3, 2, 1), (1, 1, 1, 1), "SAME", dt)
pool("AvgPool", "window_too_big", (1, 4, 4, 2), (1, 5, 5, 1), (1, 1, 1, 1), "VALID")
pool("AvgPool", "empty", (0, 4, 4, 2), (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
pool("AvgPool", "err_nchw", (1, 4, 4, 2), (1, 1, 2, 2), (1, 1, 2, 2), "VALID", data_format="NCHW", err="cpu")
pool("AvgPool", "err_depth", (1, 4, 4, 2), (1, 1, 1, 2), (1, 1, 1, 2), "VALID", err=True)
pool("AvgPool", "err_batch", (1, 4, 4, 2), (2, 2, 2, 1), (1, 2, 2, 1), "VALID", err=True)

# ---- FusedBatchNormV3 ----
BN = ["x", "scale", "offset", "mean", "variance"]
E = np.zeros((0,), np.float32)


def bn(name, xs, ch, err=False, stats=False, nscale=None, **attrs):
    x = (rng.standard_normal(xs) * 2 + 1).astype(np.float32)
    scale = rand((nscale or ch,), np.float32)
    offset = rand((ch,), np.float32)
    mean = rand((ch,), np.float32) if stats else E
    var = (rng.random((ch,)) + 0.5).astype(np.float32) if stats else E
    out.case("FusedBatchNormV3_" + name, "FusedBatchNormV3", [x, scale, offset, mean, var], attrs,
             input_names=BN, tol=(1e-4, 1e-5), expect_error=err)
    if attrs.get("is_training") is False and not err:
        # TensorFlow's CPU kernel leaves reserve_space_1/2 uninitialised in inference (any value is
        # TensorFlow's); tfc writes zeros, so the fixture records zeros there.
        outs = [i for i, line in enumerate(out.lines) if line.startswith("output ")][-3:-1]
        for i in outs:
            out.lines[i] = "output float 1 %d : %s" % (ch, " ".join(["0"] * ch))


bn("train_nhwc", (2, 3, 4, 3), 3, epsilon=0.001)
bn("train_nchw", (2, 3, 4, 3), 3, data_format="NCHW")
bn("train_avg", (3, 2, 2, 2), 2, stats=True, exponential_avg_factor=0.25)
bn("train_ndhwc", (1, 2, 3, 2, 2), 2, data_format="NDHWC")
bn("train_ncdhw", (2, 2, 2, 3, 2), 2, data_format="NCDHW")
bn("train_one_element", (1, 1, 1, 2), 2)
bn("infer_nhwc", (2, 3, 3, 4), 4, stats=True, is_training=False, epsilon=0.01)
bn("infer_nchw", (2, 4, 3, 3), 4, stats=True, is_training=False, data_format="NCHW")
bn("err_scale", (1, 2, 2, 2), 2, nscale=3, err=True)
bn("err_infer_empty_mean", (1, 2, 2, 2), 2, is_training=False, err=True)
bn("err_rank", (2, 2, 2), 2, err=True)
out.write()
