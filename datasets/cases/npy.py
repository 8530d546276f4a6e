"""Fixtures for the .npy reader (core): files NumPy 1.24 reads and files it refuses, each as its
version, header text and data length, with what np.load does with it. Where NumPy accepts what
nnkit refuses on purpose, or refuses in words about its own steps, the case holds nnkit's words
(nnkit_error; docs/parity.md lists them)."""
import io
import re
import struct

import numpy as np

VALID = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"


def file_bytes(header, version=(1, 0), data=24, magic=b"\x93NUMPY", length=None):
    h = header.encode("utf8" if version == (3, 0) else "latin1")
    size = struct.pack("<H" if version == (1, 0) else "<I", len(h) if length is None else length)
    return magic + bytes(version) + size + h + bytes(data)


CASES = {  # name: (file_bytes arguments, nnkit's words where they differ on purpose)
    "valid": ((VALID + "\n",), None),
    "no_final_newline": ((VALID,), None),
    "keys_reordered_double_quotes": (('{"shape": (2, 3), "descr": "<f4", "fortran_order": False}',), None),
    "no_trailing_comma_spaces": (("{'descr':'<f4','fortran_order':False,'shape':(2,3)}",), None),
    "duplicate_key": (("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}",), None),
    "missing_key": (("{'descr': '<f4', 'shape': (2, 3)}",), None),
    "extra_key": (("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}",), None),
    "fortran_order_int": (("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}",), None),
    "fortran_order_true": (("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3)}",),
                           "Fortran-ordered arrays are not supported"),
    "shape_list": (("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}",), None),
    "shape_float": (("{'descr': '<f4', 'fortran_order': False, 'shape': (2.0, 3)}",), None),
    "shape_double_comma": (("{'descr': '<f4', 'fortran_order': False, 'shape': (2,,3)}",), None),
    "shape_name": (("{'descr': '<f4', 'fortran_order': False, 'shape': (abc,)}",), "Cannot parse header"),
    "shape_negative": (("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", (1, 0), 8), None),
    "shape_huge": (("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4)}",),
                   "Storage size calculation overflowed"),
    "shape_beyond_int64": (("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 36893488147419103232)}",),
                           "Storage size calculation overflowed"),
    "shape_bool": (("{'descr': '<f4', 'fortran_order': False, 'shape': (True, 2)}", (1, 0), 8),
                   "shape is not valid: (True, 2)"),
    "shape_scalar": (("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", (1, 0), 4), None),
    "shape_empty": (("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3)}", (1, 0), 0), None),
    "descr_int32": (("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)}",),
                    "unsupported dtype '<i4' (nnkit reads '<f4', '<f8' and '<i8')"),
    "descr_invalid": (("{'descr': 'xyz', 'fortran_order': False, 'shape': (2, 3)}",),
                      "unsupported dtype 'xyz' (nnkit reads '<f4', '<f8' and '<i8')"),
    "descr_not_a_string": (("{'descr': 4, 'fortran_order': False, 'shape': (2, 3)}",),
                           "unsupported dtype 4 (nnkit reads '<f4', '<f8' and '<i8')"),
    "version_4": ((VALID + "\n", (4, 0)), None),
    "version_1_1": ((VALID + "\n", (1, 1)), None),
    "version_2": ((VALID + "\n", (2, 0)), None),
    "version_3": ((VALID + "\n", (3, 0)), None),
    "truncated_data": ((VALID + "\n", (1, 0), 20), None),
    "extra_data": ((VALID + "\n", (1, 0), 32), None),
    "not_a_dict": (("[1, 2]",), None),
    "unterminated": (("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ",), "Cannot parse header"),
    "header_longer_than_file": ((VALID, (1, 0), 0, b"\x93NUMPY", 200), None),
    "bad_magic": ((VALID, (1, 0), 24, b"\x93NUMPX"), "not a .npy file (bad magic string)"),
}


def generate(w):
    o = w.case("npy/headers", "npy", {}).entry["options"]
    for name, (args, words) in CASES.items():
        raw = file_bytes(*args)
        entry = {"bytes": raw.hex()}
        try:
            a = np.load(io.BytesIO(raw), allow_pickle=False)
            entry["numpy"] = "ok"
            entry["shape"] = list(a.shape)
        except Exception as e:  # noqa: BLE001 - NumPy's refusal is the oracle
            entry["numpy"] = type(e).__name__
            # an object's address in the message changes from run to run: leave it out
            entry["error"] = re.sub(r" at 0x[0-9a-f]+", "", str(e).split("\n")[0])
        if words is not None:
            entry["nnkit_error"] = words
        o[name] = entry
