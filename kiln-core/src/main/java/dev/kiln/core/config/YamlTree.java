package dev.kiln.core.config;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A YAML file read into plain values, every scalar kept as the text the user wrote: the loader
 * decides what a value means (so {@code 'O3'} and {@code O3}, {@code True} and {@code 'true'},
 * {@code 0.99} and {@code '0.99'} read alike, as in hb_mapper). Values are {@link Scalar},
 * {@code Map<String, Object>} (insertion-ordered), {@code List<Object>} or null (an empty or
 * {@code null}/{@code ~} plain scalar). A key given twice keeps its last value, as PyYAML does, and
 * adds a warning.
 */
final class YamlTree {
    /** Nesting deeper than this is not a configuration (and guards against alias cycles). */
    private static final int MAX_DEPTH = 32;

    /** A scalar as written; {@code quoted} when it was in quotes (or a block scalar). */
    record Scalar(String text, boolean quoted, int line) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final Path file;
    private final List<String> warnings;

    private YamlTree(Path file, List<String> warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    /**
     * The top-level mapping of the file.
     *
     * @throws ConfigException when the file cannot be read, is not YAML, is empty or is not a mapping
     */
    static Map<String, Object> read(Path file, List<String> warnings) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw fail("yaml file not found: " + file, warnings);
        } catch (CharacterCodingException e) {
            throw fail("yaml file " + file + " is not UTF-8 text", warnings);
        } catch (IOException e) {
            throw fail("cannot read yaml file " + file + ": " + e.getMessage(), warnings);
        }
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            throw fail(syntaxMessage(file, e), warnings);
        } catch (YamlEngineException e) {
            throw fail("YAML syntax error in " + file + ": " + e.getMessage(), warnings);
        }
        if (root == null) {
            throw fail("yaml file " + file + " is empty: expected the groups model_parameters, input_parameters,"
                    + " calibration_parameters and compiler_parameters", warnings);
        }
        if (!(root instanceof MappingNode)) {
            throw fail("yaml file " + file + " must be a mapping of groups (model_parameters: ..., input_parameters: ...),"
                    + " found " + kind(root) + " at line " + line(root), warnings);
        }
        YamlTree tree = new YamlTree(file, warnings);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree.convert(root, "", 0);
        return map;
    }

    private static ConfigException fail(String problem, List<String> warnings) {
        return new ConfigException(List.of(problem), warnings);
    }

    private static String syntaxMessage(Path file, MarkedYamlEngineException e) {
        Mark mark = e.getProblemMark().orElse(e.getContextMark().orElse(null));
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        StringBuilder sb = new StringBuilder("YAML syntax error in ").append(file);
        if (mark != null) {
            sb.append(" at line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1);
        }
        sb.append(": ").append(problem);
        if (e.getContext() != null && e.getProblem() != null) {
            Mark cm = e.getContextMark().orElse(null);
            sb.append(" (").append(e.getContext());
            if (cm != null) {
                sb.append(" at line ").append(cm.getLine() + 1).append(", column ").append(cm.getColumn() + 1);
            }
            sb.append(')');
        }
        if (mark != null) {
            sb.append('\n').append(mark.createSnippet().stripTrailing());
        }
        return sb.toString();
    }

    private Object convert(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw fail("yaml file " + file + ": nesting deeper than " + MAX_DEPTH + " levels under '" + path + "'",
                    warnings);
        }
        if (node instanceof ScalarNode) {
            ScalarNode s = (ScalarNode) node;
            if (s.isPlain() && isNull(s.getValue())) {
                return null;
            }
            return new Scalar(s.getValue(), !s.isPlain(), line(node));
        }
        if (node instanceof SequenceNode) {
            List<Object> list = new ArrayList<>();
            for (Node item : ((SequenceNode) node).getValue()) {
                list.add(convert(item, path, depth + 1));
            }
            return list;
        }
        MappingNode m = (MappingNode) node;
        Map<String, Object> map = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode)) {
                throw fail("yaml file " + file + " line " + line(k) + ": a key must be a name, found " + kind(k)
                        + (path.isEmpty() ? "" : " under '" + path + "'"), warnings);
            }
            String key = ((ScalarNode) k).getValue();
            String child = path.isEmpty() ? key : path + "." + key;
            Integer first = keyLines.put(key, line(k));
            if (first != null) {
                warnings.add("yaml file " + file + " line " + line(k) + ": key '" + child + "' given twice (first on line "
                        + first + "); the last value is used");
                map.remove(key);
            }
            map.put(key, convert(t.getValueNode(), child, depth + 1));
        }
        return map;
    }

    private static boolean isNull(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return s.isEmpty() || s.equals("~") || s.equals("null");
    }

    static int line(Node n) {
        return n.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
    }

    static String kind(Object value) {
        if (value instanceof MappingNode || value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof SequenceNode || value instanceof List) {
            return "a list";
        }
        if (value == null) {
            return "nothing";
        }
        return "'" + (value instanceof ScalarNode ? ((ScalarNode) value).getValue() : value) + "'";
    }
}
