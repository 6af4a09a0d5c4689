package taskvec.export;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import taskvec.model.safetensors.DType;
import taskvec.model.safetensors.SafetensorsWriter;
import taskvec.store.repo.Vector;
import taskvec.store.repo.VectorGroup;
import taskvec.store.repo.VectorRepository;

/**
 * A run's stored vectors as one safetensors file: each (model, task, vector name, seed, kind,
 * variant) becomes a float32 tensor {@code [layers, hidden]} named
 * {@code task/vector name/seed{n}/kind[/variant]} (the vector name is the store's spec, e.g.
 * {@code text-examples}, {@code source:instruction}, {@code subset-r2:ensemble}). The file's
 * metadata holds, under each tensor's name, a JSON object with run, model, task, spec, seed, kind,
 * variant, the layers the rows are, and each row's id and stored SHA-256. Rows are read one tensor
 * at a time while the file is written, and each row's elements are checked against its stored hash.
 */
final class VectorTensors {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VectorTensors() {}

    static String name(VectorGroup g) {
        return g.task() + "/" + g.spec() + "/seed" + g.seed() + "/" + g.kind().db() + (g.variant().isEmpty() ? "" : "/" + g.variant());
    }

    /** Writes the file and returns the tensor name of every stored vector row, by row id. */
    static Map<Long, String> write(VectorRepository vectors, long runId, Path file) {
        List<VectorGroup> groups = vectors.groups(runId);
        SafetensorsWriter out = new SafetensorsWriter().metadata("format", "pt").metadata("run", Long.toString(runId));
        Map<Long, String> names = new HashMap<>();
        Map<String, VectorGroup> seen = new HashMap<>();
        for (VectorGroup g : groups) {
            String name = name(g);
            VectorGroup clash = seen.put(name, g);
            if (clash != null) {
                throw new IllegalStateException("run " + runId + ": vectors of models " + clash.model() + " and " + g.model()
                        + " would share the tensor name " + name);
            }
            out.metadata(name, metadata(g));
            out.add(name, DType.F32, new long[] {g.layers().size(), g.dim()}, new GroupSource(vectors, g, name));
            for (long id : g.ids()) names.put(id, name);
        }
        out.write(file);
        return names;
    }

    private static String metadata(VectorGroup g) {
        ObjectNode m = JSON.createObjectNode();
        m.put("run", g.runId());
        m.put("model", g.model());
        m.put("task", g.task());
        m.put("spec", g.spec());
        m.put("seed", g.seed());
        m.put("kind", g.kind().db());
        m.put("variant", g.variant());
        g.layers().forEach(m.putArray("layers")::add);
        g.ids().forEach(m.putArray("ids")::add);
        g.sha256().forEach(m.putArray("sha256")::add);
        return m.toString();
    }

    /** A group's rows, read when the writer reaches the tensor and dropped once it is written. */
    private static final class GroupSource implements SafetensorsWriter.FloatSource {
        private final VectorRepository vectors;
        private final VectorGroup group;
        private final String name;
        private float[] values;

        GroupSource(VectorRepository vectors, VectorGroup group, String name) {
            this.vectors = vectors;
            this.group = group;
            this.name = name;
        }

        @Override
        public void fill(long first, float[] chunk) {
            if (values == null) values = read();
            System.arraycopy(values, (int) first, chunk, 0, chunk.length);
            if (first + chunk.length == values.length) values = null;
        }

        private float[] read() {
            List<Vector> rows = vectors.layers(group);
            Map<Integer, Vector> byLayer = new LinkedHashMap<>();
            for (Vector v : rows) byLayer.put(v.layer(), v);
            float[] all = new float[group.layers().size() * group.dim()];
            for (int i = 0; i < group.layers().size(); i++) {
                Vector v = byLayer.get(group.layers().get(i));
                if (v == null || v.id() != group.ids().get(i)) {
                    throw new IllegalStateException(name + ": layer " + group.layers().get(i) + " changed while exporting");
                }
                if (!v.intact()) {
                    throw new IllegalStateException(name + ": layer " + v.layer() + " (vector " + v.id()
                            + "): its elements no longer match the stored SHA-256 " + v.sha256());
                }
                System.arraycopy(v.elements(), 0, all, i * group.dim(), group.dim());
            }
            return all;
        }
    }
}
