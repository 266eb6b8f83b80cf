package dev.kiln.core.io.caffe;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.TextFormat;
import com.google.protobuf.TextFormatParseInfoTree;
import com.google.protobuf.TextFormatParseLocation;
import dev.kiln.core.KilnException;
import dev.kiln.core.io.caffe.proto.CaffeNet;
import dev.kiln.core.io.caffe.proto.CaffeNet.NetParameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses prototxt text (protobuf text format) into a NetParameter as written, without upgrading it.
 *
 * <p>Fields that Kiln's schema lacks (parameters of Caffe forks) are skipped with one warning per
 * distinct field. The parse is strict: protobuf's text parser skips unknown fields, merges everything
 * else, and only then reports all the unknown fields in one exception, which this class turns into
 * warnings while keeping the merged message. Syntax errors and unknown enum values are errors with
 * the 1-based line and column.
 */
final class CaffePrototxt {
    private static final String PACKAGE = CaffeNet.getDescriptor().getPackage() + ".";
    private static final String UNKNOWN_FIELDS_HEADER = "Input contains unknown fields and/or extensions:";
    private static final Pattern POSITION_PREFIX = Pattern.compile("^\\d+:\\d+: ");
    private static final Pattern UNKNOWN_FIELD = Pattern.compile("^(\\d+):(\\d+):\\s*(.+)$");
    private static final Pattern UNKNOWN_ENUM = Pattern.compile("Enum type \"([\\w.]+)\" has no value");
    /** How many lines or layers one warning lists before it only counts the rest. */
    private static final int LISTED = 5;

    private CaffePrototxt() {
    }

    /** One skipped occurrence: 1-based position, the message type (without package) and field name. */
    private record Unknown(int line, int column, String type, String field) {
    }

    /** Where a layer block starts, 1-based. */
    private record LayerStart(int line, int column, String name) {
        boolean before(Unknown u) {
            return line < u.line || (line == u.line && column < u.column);
        }
    }

    static NetParameter parse(String text, String file, Consumer<String> warnings) {
        NetParameter.Builder net = NetParameter.newBuilder();
        TextFormatParseInfoTree.Builder tree = TextFormatParseInfoTree.builder();
        TextFormat.Parser parser = TextFormat.Parser.newBuilder().setParseInfoTreeBuilder(tree).build();
        try {
            parser.merge(text, net);
        } catch (TextFormat.ParseException e) {
            List<Unknown> unknown = unknownFields(e);
            if (unknown == null) {
                throw new KilnException(file + ":" + e.getLine() + ":" + e.getColumn() + ": " + describe(e));
            }
            warnUnknown(unknown, layerStarts(net, tree.build()), file, warnings);
        }
        return net.build();
    }

    /** The skipped fields listed by the parser's final exception, or null for any other error. */
    private static List<Unknown> unknownFields(TextFormat.ParseException e) {
        String[] lines = POSITION_PREFIX.matcher(e.getMessage()).replaceFirst("").split("\n");
        if (!lines[0].equals(UNKNOWN_FIELDS_HEADER) || lines.length < 2) {
            return null;
        }
        List<Unknown> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher m = UNKNOWN_FIELD.matcher(lines[i]);
            if (!m.matches()) {
                return null;
            }
            String qualified = m.group(3).startsWith(PACKAGE) ? m.group(3).substring(PACKAGE.length()) : m.group(3);
            int cut = qualified.contains(".[") ? qualified.indexOf(".[") : qualified.lastIndexOf('.');
            out.add(new Unknown(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    qualified.substring(0, Math.max(cut, 0)), qualified.substring(cut + 1)));
        }
        return out;
    }

    /** The parser's description without its position, the package dropped, and an enum's known values. */
    private static String describe(TextFormat.ParseException e) {
        String what = POSITION_PREFIX.matcher(e.getMessage()).replaceFirst("");
        Matcher m = UNKNOWN_ENUM.matcher(what);
        if (m.find()) {
            EnumDescriptor en = findEnum(m.group(1));
            if (en != null) {
                what += " (known values: " + en.getValues().stream().map(EnumValueDescriptor::getName)
                        .collect(Collectors.joining(", ")) + ")";
            }
        }
        return what.replace(PACKAGE, "");
    }

    private static EnumDescriptor findEnum(String fullName) {
        for (Descriptor d : CaffeNet.getDescriptor().getMessageTypes()) {
            EnumDescriptor found = findEnum(d, fullName);
            if (found != null) {
                return found;
            }
        }
        return CaffeNet.getDescriptor().findEnumTypeByName(fullName.substring(PACKAGE.length()));
    }

    private static EnumDescriptor findEnum(Descriptor d, String fullName) {
        for (EnumDescriptor en : d.getEnumTypes()) {
            if (en.getFullName().equals(fullName)) {
                return en;
            }
        }
        for (Descriptor nested : d.getNestedTypes()) {
            EnumDescriptor found = findEnum(nested, fullName);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Where each layer (V2 {@code layer} or V1 {@code layers}) starts, 1-based, with its name. */
    private static List<LayerStart> layerStarts(NetParameter.Builder net, TextFormatParseInfoTree tree) {
        List<LayerStart> starts = new ArrayList<>();
        for (String fieldName : List.of("layer", "layers")) {
            FieldDescriptor field = NetParameter.getDescriptor().findFieldByName(fieldName);
            List<TextFormatParseLocation> locations = tree.getLocations(field);
            for (int i = 0; i < locations.size() && i < net.getRepeatedFieldCount(field); i++) {
                String name = fieldName.equals("layer") ? net.getLayer(i).getName() : net.getLayers(i).getName();
                TextFormatParseLocation at = locations.get(i);
                starts.add(new LayerStart(at.getLine() + 1, at.getColumn() + 1, name));
            }
        }
        starts.sort((a, b) -> a.line != b.line ? Integer.compare(a.line, b.line) : Integer.compare(a.column, b.column));
        return starts;
    }

    /** The name of the layer whose block holds the position, or null at the top level. */
    private static String layerAt(Unknown u, List<LayerStart> layerStarts) {
        if (u.type.equals("NetParameter") || u.type.equals("NetState")) {
            return null;
        }
        String name = null;
        for (LayerStart start : layerStarts) {
            if (start.before(u)) {
                name = start.name;
            }
        }
        return name;
    }

    private static void warnUnknown(List<Unknown> unknown, List<LayerStart> layerStarts, String file,
                                    Consumer<String> warnings) {
        Map<String, List<Unknown>> byField = new LinkedHashMap<>();
        for (Unknown u : unknown) {
            byField.computeIfAbsent(u.type + "." + u.field, k -> new ArrayList<>()).add(u);
        }
        for (List<Unknown> same : byField.values()) {
            Unknown first = same.get(0);
            Set<String> layers = new LinkedHashSet<>();
            for (Unknown u : same) {
                String layer = layerAt(u, layerStarts);
                if (layer != null) {
                    layers.add("'" + layer + "'");
                }
            }
            StringBuilder msg = new StringBuilder(file + ":" + first.line + ":" + first.column + ": unknown field '"
                    + first.field + "' in " + first.type + " (skipped");
            if (same.size() > 1) {
                msg.append(' ').append(same.size()).append(" times, lines ")
                        .append(list(same.stream().map(u -> String.valueOf(u.line)).toList()));
            }
            if (!layers.isEmpty()) {
                msg.append(layers.size() == 1 ? "; layer " : "; layers ").append(list(List.copyOf(layers)));
            }
            warnings.accept(msg.append(')').toString());
        }
    }

    private static String list(List<String> items) {
        String shown = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
        return items.size() > LISTED ? shown + " and " + (items.size() - LISTED) + " more" : shown;
    }
}
