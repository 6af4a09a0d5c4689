package taskvec.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import taskvec.store.repo.Run;

/** The --json output of the CLI: one indented JSON object per command, times as ISO-8601 text, NULL as null. */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A run as runs and status show it. */
    static ObjectNode run(Run r) {
        ObjectNode n = object();
        n.put("id", r.id());
        n.put("name", r.name());
        n.put("status", r.status().db());
        n.put("started_at", r.startedAt().toString());
        n.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
        n.put("code_version", r.codeVersion());
        n.put("device", r.device());
        n.put("dtype", r.dtype());
        n.put("error", r.error());
        return n;
    }
}
