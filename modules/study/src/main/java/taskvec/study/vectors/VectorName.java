package taskvec.study.vectors;

import taskvec.study.prompt.Modality;
import taskvec.study.prompt.Specification;

/**
 * What a task vector is, as a value: which model captured it (the target, or the source model of
 * LLM->VLM), how it was made (a specification's prompts, the ensemble, or zero-shot queries of a
 * modality), and for the sample-efficiency curve how many prompts its subset averages. Its one
 * string form ({@link #toString}) is what keys and the database's {@code spec} column hold:
 * {@code text-examples}, {@code source:instruction}, {@code subset-r2:ensemble}, {@code query:image}.
 *
 * @param subsetPrompts r of a sample-efficiency subset, 0 for a full vector
 * @param query         the query modality of a {@link Recipe#QUERY} vector, else null
 */
public record VectorName(boolean onSource, Recipe recipe, int subsetPrompts, Modality query) {
    private static final String SOURCE = "source:";
    private static final String SUBSET = "subset-r";
    private static final String QUERY = "query:";

    /** How the vector is made. */
    public enum Recipe {
        TEXT_EXAMPLES("text-examples"), IMAGE_EXAMPLES("image-examples"), INSTRUCTION("instruction"), ENSEMBLE("ensemble"),
        /** zero-shot queries at their write position (the additive mode's inputs) */
        QUERY("query");

        private final String label;

        Recipe(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public VectorName {
        if ((recipe == Recipe.QUERY) != (query != null)) throw new IllegalArgumentException("a query vector, and only it, has a query modality");
        if (subsetPrompts < 0) throw new IllegalArgumentException("subsetPrompts < 0");
    }

    /** The target model's vector of a specification's prompts. */
    public static VectorName of(Specification spec) {
        return new VectorName(false, recipeOf(spec), 0, null);
    }

    public static VectorName ensemble() {
        return new VectorName(false, Recipe.ENSEMBLE, 0, null);
    }

    /** The zero-shot query vectors of a modality (and their domain mean, the additive baseline). */
    public static VectorName query(Modality modality) {
        return new VectorName(false, Recipe.QUERY, 0, modality);
    }

    /** The same vector captured on the source model (LLM->VLM). */
    public VectorName onSourceModel() {
        return new VectorName(true, recipe, subsetPrompts, query);
    }

    /** The sample-efficiency subset of r prompts of this vector. */
    public VectorName subset(int prompts) {
        return new VectorName(onSource, recipe, prompts, query);
    }

    /** The full vector a subset belongs to (a subset is tested at the layer chosen for it). */
    public VectorName full() {
        return new VectorName(onSource, recipe, 0, query);
    }

    /** The same vector on the model {@code other} is on (the parts of an ensemble are on its model). */
    public VectorName onModelOf(VectorName other) {
        return other.onSource ? onSourceModel() : onTarget();
    }

    /** The target model's twin of a source-model vector. */
    public VectorName onTarget() {
        return new VectorName(false, recipe, subsetPrompts, query);
    }

    public boolean isSubset() {
        return subsetPrompts > 0;
    }

    /** The specification whose prompts are captured for this vector; empty for ensembles and queries. */
    public java.util.Optional<Specification> specification() {
        return switch (recipe) {
            case TEXT_EXAMPLES -> java.util.Optional.of(Specification.TEXT_EXAMPLES);
            case IMAGE_EXAMPLES -> java.util.Optional.of(Specification.IMAGE_EXAMPLES);
            case INSTRUCTION -> java.util.Optional.of(Specification.INSTRUCTION);
            case ENSEMBLE, QUERY -> java.util.Optional.empty();
        };
    }

    /** The modality of the prompts that specify the task (instructions and ensembles are text). */
    public Modality sourceModality() {
        return recipe == Recipe.IMAGE_EXAMPLES ? Modality.IMAGE : recipe == Recipe.QUERY ? query : Modality.TEXT;
    }

    private static Recipe recipeOf(Specification spec) {
        return switch (spec) {
            case TEXT_EXAMPLES -> Recipe.TEXT_EXAMPLES;
            case IMAGE_EXAMPLES -> Recipe.IMAGE_EXAMPLES;
            case INSTRUCTION -> Recipe.INSTRUCTION;
        };
    }

    @Override
    public String toString() {
        String base = recipe == Recipe.QUERY ? QUERY + query.label() : recipe.label();
        return (onSource ? SOURCE : "") + (subsetPrompts > 0 ? SUBSET + subsetPrompts + ":" : "") + base;
    }

    /** The inverse of {@link #toString} (for names read back from keys and rows); an IllegalArgumentException otherwise. */
    public static VectorName parse(String s) {
        String rest = s;
        boolean source = rest.startsWith(SOURCE);
        if (source) rest = rest.substring(SOURCE.length());
        int prompts = 0;
        if (rest.startsWith(SUBSET)) {
            int colon = rest.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException("not a vector name: '" + s + "'");
            prompts = Integer.parseInt(rest.substring(SUBSET.length(), colon));
            rest = rest.substring(colon + 1);
        }
        if (rest.startsWith(QUERY)) return new VectorName(source, Recipe.QUERY, prompts, Modality.parse(rest.substring(QUERY.length())));
        for (Recipe r : Recipe.values()) {
            if (r != Recipe.QUERY && r.label().equals(rest)) return new VectorName(source, r, prompts, null);
        }
        throw new IllegalArgumentException("not a vector name: '" + s + "'");
    }
}
