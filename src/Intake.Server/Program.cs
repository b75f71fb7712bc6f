Console.WriteLine("Intake");
