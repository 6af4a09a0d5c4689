package taskvec.model.family;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import taskvec.model.EncodedPrompt;
import taskvec.model.PromptTokenizer;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.Weights;
import taskvec.model.arch.llama.LlamaDecoderLoader;
import taskvec.model.arch.llama.LlamaWeightNames;
import taskvec.model.config.TextConfig;
import taskvec.model.hooks.HookPoints;
import taskvec.model.image.ImagePreprocessor;
import taskvec.model.layout.PromptLayout;
import taskvec.model.layout.RepeatedImageTokenLayout;

import java.util.Optional;

/** A text-only causal LM (Llama, Mistral, Qwen2): token embeddings straight into the decoder. */
public final class CausalLmFamily implements ModelFamily {

    private final CausalDecoder decoder;
    private final PromptLayout layout;

    public CausalLmFamily(CausalDecoder decoder, PromptLayout layout) {
        this.decoder = decoder;
        this.layout = layout;
    }

    public static CausalLmFamily load(Weights weights, TextConfig text, PromptTokenizer tokenizer) {
        return new CausalLmFamily(LlamaDecoderLoader.load(weights, text, LlamaWeightNames.causalLm()),
                RepeatedImageTokenLayout.textOnly(tokenizer));
    }

    @Override
    public PromptLayout layout() {
        return layout;
    }

    @Override
    public Optional<ImagePreprocessor> images() {
        return Optional.empty();
    }

    @Override
    public CausalDecoder decoder() {
        return decoder;
    }

    @Override
    public NDArray embed(EncodedPrompt prompt, NDManager scope, HookPoints visionHooks) {
        if (!prompt.images().isEmpty()) {
            throw new IllegalArgumentException("this model has no vision tower but the prompt has images");
        }
        return decoder.embed(prompt.ids(), scope);                                           // (1, T, D)
    }

    @Override
    public void traceVisionHooks(NDManager scope, HookPoints recorder) {
        // no vision side
    }
}
