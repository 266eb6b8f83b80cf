package dev.kiln.runtime.tensor;

/**
 * Element types Kiln computes with. The codes are ONNX's TensorProto.DataType numbers.
 *
 * <p>Storage classes: FLOAT, FLOAT16 and BFLOAT16 live in {@code float[]} (half types hold values
 * exactly representable in their format); DOUBLE in {@code double[]}; INT8, UINT8 and BOOL in
 * {@code byte[]}; INT16 and UINT16 in {@code short[]}; INT32 and UINT32 in {@code int[]}; INT64 and
 * UINT64 in {@code long[]}. Unsigned values are stored as their two's-complement bit pattern.
 */
public enum DType {
    FLOAT(1, 4, "float32"),
    UINT8(2, 1, "uint8"),
    INT8(3, 1, "int8"),
    UINT16(4, 2, "uint16"),
    INT16(5, 2, "int16"),
    INT32(6, 4, "int32"),
    INT64(7, 8, "int64"),
    STRING(8, 0, "string"),
    BOOL(9, 1, "bool"),
    FLOAT16(10, 2, "float16"),
    DOUBLE(11, 8, "float64"),
    UINT32(12, 4, "uint32"),
    UINT64(13, 8, "uint64"),
    BFLOAT16(16, 2, "bfloat16");

    private final int onnxCode;
    private final int byteSize;
    private final String displayName;

    DType(int onnxCode, int byteSize, String displayName) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.displayName = displayName;
    }

    /** ONNX TensorProto.DataType code. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Size of one element in a packed file representation (raw_data, .npy, .bin). */
    public int byteSize() {
        return byteSize;
    }

    /** numpy-style name: float32, int8, bool... */
    public String displayName() {
        return displayName;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT || this == FLOAT16 || this == BFLOAT16 || this == DOUBLE;
    }

    /** Stored in a {@code float[]}. */
    public boolean isFloatStorage() {
        return this == FLOAT || this == FLOAT16 || this == BFLOAT16;
    }

    public boolean isInteger() {
        switch (this) {
            case UINT8: case INT8: case UINT16: case INT16: case INT32: case INT64: case UINT32: case UINT64:
                return true;
            default:
                return false;
        }
    }

    public boolean isUnsigned() {
        return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64 || this == BOOL;
    }

    /** Returns the type for an ONNX code, or null when Kiln has no such element type. */
    public static DType fromOnnx(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        return null;
    }

    /** ONNX's name for an element type code, for messages about types Kiln does not support. */
    public static String onnxName(int code) {
        DType t = fromOnnx(code);
        if (t != null) {
            return t.displayName;
        }
        switch (code) {
            case 0: return "undefined";
            case 14: return "complex64";
            case 15: return "complex128";
            case 17: return "float8e4m3fn";
            case 18: return "float8e4m3fnuz";
            case 19: return "float8e5m2";
            case 20: return "float8e5m2fnuz";
            case 21: return "uint4";
            case 22: return "int4";
            case 23: return "float4e2m1";
            default: return "type#" + code;
        }
    }

    @Override
    public String toString() {
        return displayName;
    }
}
