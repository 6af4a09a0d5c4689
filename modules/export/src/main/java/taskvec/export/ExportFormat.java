package taskvec.export;

/** How the tables (predictions, metrics) are written; the vectors are always safetensors. */
public enum ExportFormat {
    PARQUET("parquet"), CSV("csv");

    private final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }
}
