package dev.kiln.core.ir;

/** One dimension of a tensor type: a known size, a symbolic name (dim_param), or unknown. */
public record Dim(long value, String param) {
    public static final Dim UNKNOWN = new Dim(-1, null);

    public static Dim of(long value) {
        return new Dim(value, null);
    }

    public static Dim symbol(String name) {
        return new Dim(-1, name);
    }

    public boolean isKnown() {
        return value >= 0;
    }

    @Override
    public String toString() {
        return value >= 0 ? Long.toString(value) : (param != null ? param : "?");
    }
}
