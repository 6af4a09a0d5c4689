package taskvec.cli.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/: the two images, the compose file, the Slurm script and the Kubernetes Job lint clean
 * (dockerfilelint and dclint from npm, shellcheck and yamllint from Debian; .ci/run installs them),
 * each linter is shown to catch a broken file, and the files say what the GPU setup needs.
 */
class DockerFilesTest {
    private static final Path ROOT = Path.of(System.getProperty("taskvec.root", "."));
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final String YAMLLINT_CONFIG = "{extends: default, rules: {line-length: {max: 140}, document-start: disable}}";

    @TempDir Path tmp;

    record Result(int code, String output) {}

    @Test
    void theDockerfilesLintCleanAndABrokenOneDoesNot() throws Exception {
        Result clean = run(DOCKER, "dockerfilelint", "cpu.Dockerfile", "cuda.Dockerfile");
        assertEquals(0, clean.code(), clean.output());
        Files.writeString(tmp.resolve("Dockerfile"), "FROM debian\nrun apt-get install curl\nADD . /\n");
        Result broken = run(tmp, "dockerfilelint", "Dockerfile");
        assertNotEquals(0, broken.code(), "dockerfilelint found nothing wrong in a broken Dockerfile: " + broken.output());
    }

    @Test
    void theComposeFileLintsCleanAndABrokenOneDoesNot() throws Exception {
        Result clean = run(DOCKER, "dclint", "--max-warnings", "0", "compose.yaml");
        assertEquals(0, clean.code(), clean.output());
        Result yaml = run(DOCKER, "yamllint", "-d", YAMLLINT_CONFIG, "compose.yaml", "k8s/taskvec-workers.yaml");
        assertEquals(0, yaml.code(), yaml.output());
        Files.writeString(tmp.resolve("compose.yaml"), "services:\n  db:\n    image: postgres:17\n    ports: 5432\n");
        Result broken = run(tmp, "dclint", "compose.yaml");
        assertNotEquals(0, broken.code(), "dclint accepted a port that is not a list: " + broken.output());
    }

    @Test
    void theShellScriptsLintClean() throws Exception {
        Result clean = run(ROOT, "shellcheck", "docker/slurm/taskvec-workers.sbatch", "taskvec");
        assertEquals(0, clean.code(), clean.output());
        Files.writeString(tmp.resolve("broken.sh"), "#!/bin/bash\nrm -rf $1/*\n");
        assertNotEquals(0, run(tmp, "shellcheck", "broken.sh").code());
    }

    @Test
    void theCudaImageWiresLibtorchForCuda128InFloat16() throws IOException {
        String cuda = Files.readString(DOCKER.resolve("cuda.Dockerfile"));
        for (String line : List.of("libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip", "PYTORCH_LIBRARY_PATH=/opt/libtorch/lib",
                "PYTORCH_FLAVOR=cu128", "PYTORCH_VERSION=2.7.1", "TASKVEC_DTYPE=float16", "TASKVEC_DEVICE=cuda",
                "openjdk-17-jre-headless")) {
            assertTrue(cuda.contains(line), "cuda.Dockerfile lacks " + line);
        }
        String cpu = Files.readString(DOCKER.resolve("cpu.Dockerfile"));
        assertTrue(cpu.contains("ARG BASE=eclipse-temurin:17-jre"), "the CPU image runs on a Java 17 runtime");
        assertTrue(cpu.contains("TASKVEC_PREBUILT=1"), "the image runs the built CLI, never Maven");
    }

    @Test
    void composeHasPostgres17OneRunAndAWorkerPerGpuOnVolumes() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("compose.yaml").toFile());
        JsonNode services = compose.get("services");
        assertEquals("postgres:17", services.get("postgres").get("image").asText());
        assertEquals("run", services.get("run").get("command").get(0).asText());
        List<String> gpus = new ArrayList<>();
        services.fields().forEachRemaining(s -> {
            JsonNode devices = s.getValue().at("/deploy/resources/reservations/devices");
            if (devices.isArray()) gpus.add(s.getKey() + "=" + devices.get(0).get("device_ids").get(0).asText());
        });
        assertEquals(List.of("run=0", "worker-gpu1=1"), gpus);
        assertEquals("worker", services.get("worker-gpu1").get("command").get(0).asText());
        assertTrue(compose.get("volumes").has("hf-cache") && compose.get("volumes").has("study-record"));
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("k8s/taskvec-workers.yaml").toFile());
        assertEquals("Job", job.get("kind").asText());
        assertEquals(1, job.at("/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu").asInt());
        assertEquals("worker", job.at("/spec/template/spec/containers/0/args/0").asText());
    }

    private static Result run(Path dir, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed (.ci/run installs it: npm install -g dockerfilelint dclint;"
                    + " apt-get install shellcheck yamllint): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
