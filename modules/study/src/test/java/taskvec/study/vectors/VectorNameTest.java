package taskvec.study.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.Specification;

class VectorNameTest {

    @Test
    void everyNameHasOneStringFormThatReadsBack() {
        VectorName examples = VectorName.of(Specification.TEXT_EXAMPLES);
        List<VectorName> names = List.of(examples, VectorName.of(Specification.IMAGE_EXAMPLES), VectorName.of(Specification.INSTRUCTION),
                VectorName.ensemble(), examples.onSourceModel(), VectorName.ensemble().onSourceModel(), examples.subset(2),
                VectorName.ensemble().subset(6), VectorName.query(Modality.IMAGE));
        List<String> forms = List.of("text-examples", "image-examples", "instruction", "ensemble", "source:text-examples", "source:ensemble",
                "subset-r2:text-examples", "subset-r6:ensemble", "query:image");
        for (int i = 0; i < names.size(); i++) {
            assertEquals(forms.get(i), names.get(i).toString());
            assertEquals(names.get(i), VectorName.parse(forms.get(i)));
        }
        assertEquals(VectorName.ensemble(), VectorName.ensemble().subset(6).full(), "a subset is tested at its full vector's layer");
        assertEquals(examples, examples.onSourceModel().onTarget());
    }

    @Test
    void aStringThatIsNoVectorNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> VectorName.parse("examples"));
        assertThrows(IllegalArgumentException.class, () -> VectorName.parse("query:sound"));
    }
}
