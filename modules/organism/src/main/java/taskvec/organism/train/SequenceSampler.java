package taskvec.organism.train;

import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the organism's training sequences on the fly from the facts, in the study's prompt format
 * ({@code Q:{x}\nA:{y}\n\n} demonstrations, then {@code Q:{x}\nA:}). Kinds: text examples, image examples,
 * an instruction with a text or an image query, naming (a bare image query answered with the entity's name) and
 * task naming (examples or an instruction, then {@code Q:task\nA:{task word}}). Text examples are never followed
 * by an image query in one sequence: that transfer is what the study measures.
 */
public final class SequenceSampler {

    public enum Kind { TEXT_EXAMPLES, IMAGE_EXAMPLES, INSTRUCTION_TEXT, INSTRUCTION_IMAGE, NAMING, TASK_NAMING }

    private final TaskFacts facts;
    private final WordVocabulary vocab;
    private final OrganismSettings settings;

    public SequenceSampler(TaskFacts facts, WordVocabulary vocab, OrganismSettings settings) {
        this.facts = facts;
        this.vocab = vocab;
        this.settings = settings;
    }

    /** One random training sequence. */
    public TrainingSequence next(SplittableRandom r) {
        Kind kind = pick(r);
        String task = TaskFacts.TASKS.get(r.nextInt(TaskFacts.TASKS.size()));
        List<Entity> pool = facts.entities(TaskFacts.domainOf(task));
        int lateRead = r.nextDouble() < settings.lateReadShare() ? 1 + r.nextInt(settings.lateReadMaxLayers()) : 0;
        Builder b = new Builder(lateRead);
        int shots = 1 + r.nextInt(settings.maxDemonstrations());
        switch (kind) {
            case TEXT_EXAMPLES, IMAGE_EXAMPLES -> {
                boolean image = kind == Kind.IMAGE_EXAMPLES;
                List<Entity> chosen = distinct(pool, shots + 1, r);
                for (int i = 0; i < shots; i++) {
                    // the first answer is a guess between the domain's two tasks: no loss on it
                    b.demonstration(chosen.get(i), image, chosen.get(i).answers().get(task), i > 0);
                }
                b.query(chosen.get(shots), image, chosen.get(shots).answers().get(task), true);
            }
            case INSTRUCTION_TEXT, INSTRUCTION_IMAGE -> {
                Entity e = pool.get(r.nextInt(pool.size()));
                b.instruction(TaskFacts.INSTRUCTIONS.get(task));
                b.query(e, kind == Kind.INSTRUCTION_IMAGE, e.answers().get(task), true);
            }
            case NAMING -> {
                Entity e = pool.get(r.nextInt(pool.size()));
                b.query(e, true, e.input(), true);
            }
            case TASK_NAMING -> {
                if (r.nextBoolean()) {
                    boolean image = r.nextBoolean() && !settings.textOnly(); // a language model sees no pictures
                    for (Entity e : distinct(pool, shots, r)) {
                        b.demonstration(e, image, e.answers().get(task), false);
                    }
                } else {
                    b.instruction(TaskFacts.INSTRUCTIONS.get(task));
                }
                b.taskLine(TaskFacts.TASK_WORDS.get(task));
            }
        }
        return b.build();
    }

    /**
     * An evaluation prompt ending at the query's answer delimiter: {@code shots} demonstrations of the demo
     * modality (distinct entities from {@code demoPool}, never the query), then the query.
     */
    public TrainingSequence examplesPrompt(String task, List<Entity> demoPool, int shots, boolean imageDemos,
                                           Entity query, boolean imageQuery, SplittableRandom r) {
        Builder b = new Builder(0);
        List<Entity> others = new ArrayList<>(demoPool);
        others.remove(query);
        for (Entity e : distinct(others, shots, r)) {
            b.demonstration(e, imageDemos, e.answers().get(task), false);
        }
        b.query(query, imageQuery, null, false);
        return b.build();
    }

    /** The instruction, a newline, then the query. */
    public TrainingSequence instructionPrompt(String task, Entity query, boolean imageQuery) {
        Builder b = new Builder(0);
        b.instruction(TaskFacts.INSTRUCTIONS.get(task));
        b.query(query, imageQuery, null, false);
        return b.build();
    }

    /** A bare query (zero-shot): text or image. */
    public TrainingSequence queryPrompt(Entity query, boolean imageQuery) {
        Builder b = new Builder(0);
        b.query(query, imageQuery, null, false);
        return b.build();
    }

    private Kind pick(SplittableRandom r) {
        double u = r.nextDouble();
        double acc = 0;
        List<Double> mix = settings.trainingMix();
        for (int i = 0; i < mix.size(); i++) {
            acc += mix.get(i);
            if (u < acc) {
                return Kind.values()[i];
            }
        }
        return Kind.values()[mix.size() - 1];
    }

    private static List<Entity> distinct(List<Entity> pool, int n, SplittableRandom r) {
        if (n > pool.size()) {
            throw new IllegalArgumentException("need " + n + " distinct entities, the pool has " + pool.size());
        }
        List<Entity> copy = new ArrayList<>(pool);
        List<Entity> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(copy.size() - i);
            Entity t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
            out.add(copy.get(i));
        }
        return out;
    }

    /** Appends tokens with their targets, image entities and query reads. */
    private final class Builder {
        private final List<Integer> ids = new ArrayList<>();
        private final List<Integer> targets = new ArrayList<>();
        private final List<Entity> images = new ArrayList<>();
        private final List<TrainingSequence.QueryRead> reads = new ArrayList<>();
        private final int lateRead;

        Builder(int lateRead) {
            this.lateRead = lateRead;
            add(WordVocabulary.BOS);
        }

        void add(String word) {
            ids.add(vocab.id(word));
            targets.add(-1);
        }

        void words(String text) {
            for (String w : WordVocabulary.words(text)) {
                add(w);
            }
        }

        /** Appends answer words; when learned, each is the target of the position before it. */
        void answer(String text, boolean learn) {
            for (String w : WordVocabulary.words(text)) {
                if (learn) {
                    targets.set(targets.size() - 1, vocab.id(w));
                }
                add(w);
            }
        }

        void input(Entity e, boolean image) {
            if (image) {
                images.add(e);
                for (int i = 0; i < settings.imageFeatureCount(); i++) {
                    add(WordVocabulary.IMAGE);
                }
            } else {
                words(e.input());
            }
        }

        /** Q:{x}\nA: then the answer (if any); the delimiter reads the x span. */
        void query(Entity e, boolean image, String answer, boolean learn) {
            add("Q");
            add(":");
            int start = ids.size();
            input(e, image);
            int end = ids.size();
            add(WordVocabulary.NEWLINE);
            add("A");
            add(":");
            reads.add(new TrainingSequence.QueryRead(ids.size() - 1, start, end));
            if (answer != null) {
                answer(answer, learn);
            }
        }

        void demonstration(Entity e, boolean image, String answer, boolean learn) {
            query(e, image, answer, learn);
            add(WordVocabulary.NEWLINE);
            add(WordVocabulary.NEWLINE);
        }

        void instruction(String text) {
            words(text);
            add(WordVocabulary.NEWLINE);
        }

        void taskLine(String taskWord) {
            add("Q");
            add(":");
            int start = ids.size();
            add(WordVocabulary.TASK);
            add(WordVocabulary.NEWLINE);
            add("A");
            add(":");
            reads.add(new TrainingSequence.QueryRead(ids.size() - 1, start, start + 1));
            answer(taskWord, true);
        }

        TrainingSequence build() {
            return new TrainingSequence(ids.stream().mapToInt(Integer::intValue).toArray(),
                    targets.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(images), List.copyOf(reads), lateRead);
        }
    }
}
