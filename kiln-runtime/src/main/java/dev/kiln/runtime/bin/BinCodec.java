package dev.kiln.runtime.bin;

import dev.kiln.runtime.io.RawTensors;
import dev.kiln.runtime.tensor.DType;
import dev.kiln.runtime.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes the .bin format (docs/bin-format.md): a 64-byte header (magic, format
 * version, file size, section count), a section table, 64-byte aligned sections (one INFO, one
 * MODL per model) and a 16-byte footer holding a CRC-32C of everything before it. The encoding is
 * a pure function of its input, so equal models give byte-identical files.
 */
public final class BinCodec {
    public static final byte[] MAGIC = {(byte) 0x89, 'K', 'I', 'L', 'N', 'B', 'I', 'N'};
    public static final byte[] FOOTER_MAGIC = {'K', 'I', 'L', 'N', '-', 'E', 'N', 'D'};
    public static final int FORMAT_MAJOR = 1;
    public static final int FORMAT_MINOR = 0;
    public static final int HEADER_BYTES = 64;
    public static final int SECTION_ENTRY_BYTES = 32;
    public static final int FOOTER_BYTES = 16;
    public static final int ALIGN = 64;
    static final String INFO = "INFO";
    static final String MODEL = "MODL";

    private BinCodec() {
    }

    // ---------------------------------------------------------------- encoding

    public static byte[] encode(BinFile file) {
        List<String> types = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        ByteSink info = new ByteSink();
        writeMap(info, file.info());
        types.add(INFO);
        bodies.add(info.toByteArray());
        for (CompiledModel m : file.models()) {
            types.add(MODEL);
            bodies.add(encodeModel(m));
        }
        ByteSink out = new ByteSink();
        out.bytes(MAGIC);
        out.u16(FORMAT_MAJOR);
        out.u16(FORMAT_MINOR);
        out.i32(0);
        int fileSizeAt = out.size();
        out.i64(0);
        out.i32(types.size());
        out.i32(HEADER_BYTES);
        out.i64(HEADER_BYTES);
        out.align(HEADER_BYTES);
        int tableAt = out.size();
        for (int i = 0; i < types.size(); i++) {
            out.bytes(new byte[SECTION_ENTRY_BYTES]);
        }
        for (int i = 0; i < types.size(); i++) {
            out.align(ALIGN);
            int at = out.size();
            out.bytes(bodies.get(i));
            int e = tableAt + i * SECTION_ENTRY_BYTES;
            byte[] t = types.get(i).getBytes(StandardCharsets.US_ASCII);
            out.putI32(e, (t[0] & 0xff) | (t[1] & 0xff) << 8 | (t[2] & 0xff) << 16 | (t[3] & 0xff) << 24);
            out.putI64(e + 8, at);
            out.putI64(e + 16, bodies.get(i).length);
        }
        out.align(8);
        int crcEnd = out.size();
        out.putI64(fileSizeAt, crcEnd + FOOTER_BYTES);
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body, 0, crcEnd);
        out.i32((int) crc.getValue());
        out.i32(0);
        out.bytes(FOOTER_MAGIC);
        return out.toByteArray();
    }

    private static byte[] encodeModel(CompiledModel m) {
        ByteSink meta = new ByteSink();
        List<Tensor> data = new ArrayList<>();
        meta.string(m.name());
        meta.string(m.config());
        writeMap(meta, m.build());
        // constants go to the data area in tensor order; offsets are relative to its start
        long offset = 0;
        meta.i32(m.tensors().size());
        for (TensorInfo t : m.tensors()) {
            meta.string(t.name());
            meta.u8(t.dtype().onnxCode());
            meta.ints(t.shape());
            writeQuant(meta, t.quant());
            if (t.value() == null) {
                meta.i64(-1);
                meta.i64(0);
            } else {
                long bytes = rawSize(t.value());
                meta.i64(offset);
                meta.i64(bytes);
                data.add(t.value());
                offset = alignUp(offset + bytes, ALIGN);
            }
        }
        meta.i32(m.instructions().size());
        for (Instruction in : m.instructions()) {
            meta.string(in.name());
            meta.string(in.opType());
            meta.i32(in.opcode());
            meta.i32(in.opset());
            meta.string(in.label());
            meta.i32(in.subgraph());
            meta.ints(in.inputs());
            meta.ints(in.outputs());
            writeAttrs(meta, in.attrs());
            writeInteger(meta, in.integer());
            meta.string(in.variant());
            writeStrings(meta, in.nodes());
            meta.i32(in.view().size());
            for (KernelInput k : in.view()) {
                meta.u8(k.present() ? 1 : 0);
                meta.u8(k.dtype() == null ? 0 : k.dtype().onnxCode());
                meta.ints(k.shape());
                meta.i32(k.constant());
            }
        }
        writeIo(meta, m.inputs());
        writeIo(meta, m.outputs());
        meta.i32(m.subgraphs().size());
        for (SubgraphInfo s : m.subgraphs()) {
            meta.i32(s.id());
            meta.ints(s.instructions());
            meta.i64(s.macs());
            meta.i64(s.weightBytes());
            meta.i64(s.arenaBytes());
            meta.f64(s.estimatedMicros());
        }
        MemoryPlan p = m.plan();
        meta.u8(p == null ? 0 : 1);
        if (p != null) {
            meta.longs(p.offsets());
            meta.i64(p.arenaBytes());
            meta.i64(p.unplannedBytes());
            meta.u8(p.releaseAfterLastUse() ? 1 : 0);
        }
        meta.i32(m.deleted().size());
        for (DeletedNode d : m.deleted()) {
            meta.string(d.name());
            meta.string(d.opType());
            meta.string(d.tensor());
            meta.string(d.detail());
        }
        if (m.profile() == null) {
            meta.i32(-1);
        } else {
            meta.i32(m.profile().size());
            for (NodeCost c : m.profile()) {
                meta.string(c.instruction());
                meta.i64(c.macs());
                meta.i64(c.bytes());
            }
        }
        if (m.dumpMap() == null) {
            meta.i32(-1);
        } else {
            meta.i32(m.dumpMap().size());
            for (Map.Entry<String, Integer> e : m.dumpMap().entrySet()) {
                meta.string(e.getKey());
                meta.i32(e.getValue());
            }
        }
        ByteSink out = new ByteSink();
        out.i64(meta.size());
        out.bytes(meta.toByteArray());
        out.align(ALIGN);
        for (Tensor t : data) {
            ByteBuffer b = RawTensors.encode(t, ByteOrder.LITTLE_ENDIAN);
            byte[] raw = new byte[b.remaining()];
            b.get(raw);
            out.bytes(raw);
            out.align(ALIGN);
        }
        return out.toByteArray();
    }

    private static long rawSize(Tensor t) {
        return (long) t.size() * t.dtype().byteSize();
    }

    private static long alignUp(long v, int a) {
        return (v + a - 1) / a * a;
    }

    private static void writeMap(ByteSink s, Map<String, String> map) {
        s.i32(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            s.string(e.getKey());
            s.string(e.getValue());
        }
    }

    private static void writeStrings(ByteSink s, List<String> v) {
        s.i32(v.size());
        for (String x : v) {
            s.string(x);
        }
    }

    private static void writeQuant(ByteSink s, Quant q) {
        s.u8(q == null ? 0 : 1);
        if (q != null) {
            s.floats(q.scales());
            s.longs(q.zeroPoints());
            s.i32(q.axis());
        }
    }

    private static void writeTensor(ByteSink s, Tensor t) {
        s.u8(t.dtype().onnxCode());
        s.ints(t.shape());
        ByteBuffer b = RawTensors.encode(t, ByteOrder.LITTLE_ENDIAN);
        byte[] raw = new byte[b.remaining()];
        b.get(raw);
        s.i32(raw.length);
        s.bytes(raw);
    }

    @SuppressWarnings("unchecked")
    private static void writeAttrs(ByteSink s, Attrs a) {
        s.i32(a.asMap().size());
        for (Map.Entry<String, Object> e : a.asMap().entrySet()) {
            s.string(e.getKey());
            Object v = e.getValue();
            if (v instanceof Long) {
                s.u8(1);
                s.i64((Long) v);
            } else if (v instanceof Float) {
                s.u8(2);
                s.f32((Float) v);
            } else if (v instanceof String) {
                s.u8(3);
                s.string((String) v);
            } else if (v instanceof long[]) {
                s.u8(4);
                s.longs((long[]) v);
            } else if (v instanceof float[]) {
                s.u8(5);
                s.floats((float[]) v);
            } else if (v instanceof List) {
                s.u8(6);
                writeStrings(s, (List<String>) v);
            } else {
                s.u8(7);
                writeTensor(s, (Tensor) v);
            }
        }
    }

    private static void writeInteger(ByteSink s, IntegerSpec q) {
        s.u8(q == null ? 0 : 1);
        if (q == null) {
            return;
        }
        s.floats(q.inputScales());
        s.ints(q.weights());
        s.i32(q.weightScales().length);
        for (float[] w : q.weightScales()) {
            s.floats(w);
        }
        s.ints(q.weightAxes());
        s.ints(q.biases());
        s.floats(q.outputScales());
        s.i32(q.outputTypes().length);
        for (DType t : q.outputTypes()) {
            s.u8(t == null ? 0 : t.onnxCode());
        }
        s.ints(q.lo());
        s.ints(q.hi());
    }

    private static void writeIo(ByteSink s, List<IoDescriptor> list) {
        s.i32(list.size());
        for (IoDescriptor d : list) {
            s.string(d.name());
            s.i32(d.tensor());
            s.u8(d.type().ordinal());
            s.u8(d.layout().ordinal());
            s.ints(d.validShape());
            s.ints(d.alignedShape());
            s.longs(d.strides());
            s.i64(d.byteSize());
            writeQuant(s, d.quant());
            s.ints(d.toProgram());
        }
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes a whole file. Checks, in order: length, magic, format version, recorded size,
     * checksum, section table; every failure is a {@link BinFormatException} naming {@code source}
     * and what is wrong.
     */
    public static BinFile decode(ByteBuffer whole, String source) {
        ByteBuffer buf = whole.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long size = buf.remaining();
        String who = source;
        if (size < HEADER_BYTES + FOOTER_BYTES) {
            if (size >= MAGIC.length && !startsWithMagic(buf)) {
                throw new BinFormatException(who + ": not a Kiln .bin file (no KILNBIN magic at its start)");
            }
            throw new BinFormatException(who + ": truncated: " + size + " bytes, a .bin has at least "
                    + (HEADER_BYTES + FOOTER_BYTES));
        }
        if (!startsWithMagic(buf)) {
            throw new BinFormatException(who + ": not a Kiln .bin file (no KILNBIN magic at its start)");
        }
        int base = buf.position();
        int major = buf.getShort(base + 8) & 0xffff;
        int minor = buf.getShort(base + 10) & 0xffff;
        if (major != FORMAT_MAJOR) {
            throw new BinFormatException(who + ": format version " + major + "." + minor
                    + (major > FORMAT_MAJOR ? " is newer than this Kiln reads (" + FORMAT_MAJOR + ".x); use a newer Kiln"
                    : " is not one this Kiln reads (" + FORMAT_MAJOR + ".x)"));
        }
        long recorded = buf.getLong(base + 16);
        if (recorded != size) {
            throw new BinFormatException(who + (recorded > size ? ": truncated: the header records " + recorded
                    + " bytes, the file has " + size : ": damaged: the header records " + recorded + " bytes, the file has "
                    + size));
        }
        int crcEnd = (int) (size - FOOTER_BYTES);
        byte[] footMagic = new byte[8];
        buf.duplicate().position(base + crcEnd + 8).get(footMagic);
        if (!Arrays.equals(footMagic, FOOTER_MAGIC)) {
            throw new BinFormatException(who + ": damaged: the end-of-file marker is missing (truncated or overwritten)");
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().position(base).limit(base + crcEnd));
        int stored = buf.getInt(base + crcEnd);
        if ((int) crc.getValue() != stored || buf.getInt(base + crcEnd + 4) != 0) {
            throw new BinFormatException(who + String.format(": checksum mismatch: the file is damaged (stored %08x,"
                    + " computed %08x)", stored, (int) crc.getValue()));
        }
        ByteSource head = new ByteSource(buf.duplicate().position(base).limit(base + crcEnd), who);
        head.position(24);
        int sections = head.i32();
        int headerBytes = head.i32();
        long tableAt = head.i64();
        if (headerBytes != HEADER_BYTES || sections < 1 || tableAt != HEADER_BYTES
                || tableAt + (long) sections * SECTION_ENTRY_BYTES > crcEnd) {
            throw new BinFormatException(who + ": damaged section table (" + sections + " sections)");
        }
        Map<String, String> info = null;
        List<CompiledModel> models = new ArrayList<>();
        for (int i = 0; i < sections; i++) {
            head.position((int) tableAt + i * SECTION_ENTRY_BYTES);
            byte[] t = head.bytes(4);
            head.i32();
            long at = head.i64();
            long length = head.i64();
            String type = new String(t, StandardCharsets.US_ASCII);
            ByteSource body = new ByteSource(head.slice(at, length), who + ", section " + i + " (" + type + ")");
            if (type.equals(INFO)) {
                info = readMap(body);
            } else if (type.equals(MODEL)) {
                models.add(decodeModel(body, who + ", model " + models.size()));
            } else {
                throw new BinFormatException(who + ": unknown section type '" + type + "'");
            }
        }
        if (info == null || models.isEmpty()) {
            throw new BinFormatException(who + ": damaged: " + (info == null ? "no INFO section" : "no model"));
        }
        return new BinFile(major, minor, info, models);
    }

    private static boolean startsWithMagic(ByteBuffer buf) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (buf.get(buf.position() + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static CompiledModel decodeModel(ByteSource s, String who) {
        long metaLength = s.i64();
        if (metaLength < 0 || metaLength > s.remaining()) {
            throw s.fail("impossible metadata length " + metaLength);
        }
        long dataStart = alignUp(8 + metaLength, ALIGN);
        String name = s.string();
        String config = s.string();
        Map<String, String> build = readMap(s);
        int nt = s.count(8);
        List<TensorInfo> tensors = new ArrayList<>(nt);
        for (int i = 0; i < nt; i++) {
            String tn = s.string();
            DType dt = dtype(s, s.u8());
            int[] shape = s.ints();
            Quant q = readQuant(s);
            long off = s.i64();
            long len = s.i64();
            Tensor value = null;
            if (off >= 0) {
                long expect = (long) dt.byteSize();
                for (int d : shape) {
                    expect *= d;
                }
                if (len != expect) {
                    throw s.fail("tensor '" + tn + "' has " + len + " bytes of data, its shape needs " + expect);
                }
                value = RawTensors.decode(dt, shape, s.slice(dataStart + off, len));
            }
            tensors.add(new TensorInfo(tn, dt, shape, q, value));
        }
        int ni = s.count(8);
        List<Instruction> instructions = new ArrayList<>(ni);
        for (int i = 0; i < ni; i++) {
            String in = s.string();
            String opType = s.string();
            int opcode = s.i32();
            int opset = s.i32();
            String label = s.string();
            int sub = s.i32();
            int[] inputs = checkIndices(s, s.ints(), nt, in);
            int[] outputs = checkIndices(s, s.ints(), nt, in);
            Attrs attrs = readAttrs(s);
            IntegerSpec integer = readInteger(s, nt);
            String variant = s.string();
            List<String> nodes = readStrings(s);
            int nv = s.count(10);
            List<KernelInput> view = new ArrayList<>(nv);
            for (int k = 0; k < nv; k++) {
                boolean present = s.u8() == 1;
                int code = s.u8();
                DType dt = code == 0 ? null : dtype(s, code);
                int[] shape = s.ints();
                int c = s.i32();
                if (c < -1 || c >= nt) {
                    throw s.fail("instruction '" + in + "' refers to tensor " + c + " of " + nt);
                }
                view.add(new KernelInput(present, dt, shape, c));
            }
            instructions.add(new Instruction(in, opType, opcode, opset, label, sub, inputs, outputs, attrs, integer, variant,
                    nodes, view));
        }
        List<IoDescriptor> inputs = readIo(s, nt);
        List<IoDescriptor> outputs = readIo(s, nt);
        int ns = s.count(8);
        List<SubgraphInfo> subgraphs = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            subgraphs.add(new SubgraphInfo(s.i32(), s.ints(), s.i64(), s.i64(), s.i64(), s.f64()));
        }
        MemoryPlan plan = null;
        if (s.u8() == 1) {
            plan = new MemoryPlan(s.longs(), s.i64(), s.i64(), s.u8() == 1);
        }
        int nd = s.count(16);
        List<DeletedNode> deleted = new ArrayList<>(nd);
        for (int i = 0; i < nd; i++) {
            deleted.add(new DeletedNode(s.string(), s.string(), s.string(), s.string()));
        }
        List<NodeCost> profile = null;
        int np = s.i32();
        if (np >= 0) {
            profile = new ArrayList<>(np);
            for (int i = 0; i < np; i++) {
                profile.add(new NodeCost(s.string(), s.i64(), s.i64()));
            }
        }
        Map<String, Integer> dump = null;
        int nm = s.i32();
        if (nm >= 0) {
            dump = new LinkedHashMap<>();
            for (int i = 0; i < nm; i++) {
                dump.put(s.string(), s.i32());
            }
        }
        return new CompiledModel(name, config, build, tensors, instructions, inputs, outputs, subgraphs, plan, deleted,
                profile, dump);
    }

    private static int[] checkIndices(ByteSource s, int[] v, int tensors, String instruction) {
        for (int x : v) {
            if (x < -1 || x >= tensors) {
                throw s.fail("instruction '" + instruction + "' refers to tensor " + x + " of " + tensors);
            }
        }
        return v;
    }

    private static DType dtype(ByteSource s, int code) {
        try {
            return DType.fromOnnx(code);
        } catch (RuntimeException e) {
            throw s.fail("unknown element type code " + code);
        }
    }

    private static Map<String, String> readMap(ByteSource s) {
        int n = s.count(8);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(s.string(), s.string());
        }
        return m;
    }

    private static List<String> readStrings(ByteSource s) {
        int n = s.count(4);
        List<String> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            v.add(s.string());
        }
        return v;
    }

    private static Quant readQuant(ByteSource s) {
        return s.u8() == 0 ? null : new Quant(s.floats(), s.longs(), s.i32());
    }

    private static Attrs readAttrs(ByteSource s) {
        int n = s.count(5);
        Attrs a = new Attrs();
        for (int i = 0; i < n; i++) {
            String name = s.string();
            int kind = s.u8();
            switch (kind) {
                case 1: a.put(name, s.i64()); break;
                case 2: a.put(name, s.f32()); break;
                case 3: a.put(name, s.string()); break;
                case 4: a.put(name, s.longs()); break;
                case 5: a.put(name, s.floats()); break;
                case 6: a.put(name, readStrings(s)); break;
                case 7: {
                    DType t = dtype(s, s.u8());
                    int[] shape = s.ints();
                    int len = s.count(1);
                    a.put(name, RawTensors.decode(t, shape, ByteBuffer.wrap(s.bytes(len)).order(ByteOrder.LITTLE_ENDIAN)));
                    break;
                }
                default:
                    throw s.fail("attribute '" + name + "' has unknown kind " + kind);
            }
        }
        return a;
    }

    private static IntegerSpec readInteger(ByteSource s, int tensors) {
        if (s.u8() == 0) {
            return null;
        }
        float[] in = s.floats();
        int[] w = s.ints();
        int n = s.count(4);
        float[][] ws = new float[n][];
        for (int i = 0; i < n; i++) {
            ws[i] = s.floats();
        }
        int[] wa = s.ints();
        int[] b = s.ints();
        float[] os = s.floats();
        int no = s.count(1);
        DType[] ot = new DType[no];
        for (int i = 0; i < no; i++) {
            int c = s.u8();
            ot[i] = c == 0 ? null : dtype(s, c);
        }
        int[] lo = s.ints();
        int[] hi = s.ints();
        if (w.length != in.length || ws.length != in.length || wa.length != in.length || b.length != in.length
                || lo.length != os.length || hi.length != os.length || ot.length != os.length) {
            throw s.fail("inconsistent integer parameters");
        }
        for (int i = 0; i < in.length; i++) {
            if (w[i] < -1 || w[i] >= tensors || b[i] < -1 || b[i] >= tensors) {
                throw s.fail("integer parameters refer to a tensor outside the model");
            }
        }
        return new IntegerSpec(in, w, ws, wa, b, os, ot, lo, hi);
    }

    private static List<IoDescriptor> readIo(ByteSource s, int tensors) {
        int n = s.count(8);
        List<IoDescriptor> list = new ArrayList<>(n);
        IoDescriptor.TensorKind[] kinds = IoDescriptor.TensorKind.values();
        IoDescriptor.Layout[] layouts = IoDescriptor.Layout.values();
        for (int i = 0; i < n; i++) {
            String name = s.string();
            int tensor = s.i32();
            int k = s.u8();
            int l = s.u8();
            if (tensor < 0 || tensor >= tensors || k >= kinds.length || l >= layouts.length) {
                throw s.fail("damaged descriptor of '" + name + "'");
            }
            list.add(new IoDescriptor(name, tensor, kinds[k], layouts[l], s.ints(), s.ints(), s.longs(), s.i64(),
                    readQuant(s), s.ints()));
        }
        return list;
    }
}
