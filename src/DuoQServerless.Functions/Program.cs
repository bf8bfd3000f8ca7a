Console.WriteLine("bootstrap: no runtime yet");
