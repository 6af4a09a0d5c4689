package taskvec.model.arch;

import org.junit.jupiter.api.Test;
import taskvec.model.config.ConfigReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The config reader accepts exactly the activations the runtime implements (the config package cannot ask arch). */
class ActivationsTest {

    @Test
    void everyNameTheConfigReaderAcceptsHasAFunction() {
        assertEquals(ConfigReader.ACTIVATIONS, Activations.names());
        for (String name : ConfigReader.ACTIVATIONS) {
            Activations.byName(name);
        }
    }

    @Test
    void anUnknownNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.byName("relu6"));
        assertEquals("activation 'relu6' is not supported", e.getMessage());
    }
}
