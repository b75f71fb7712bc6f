# Intake — emergency call-intake server.
# Build:  docker build -t intake .
# Run:    docker run --network host -v intake-data:/var/lib/intake intake
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props global.json Intake.sln ./
COPY src/ src/
COPY sip-config/ sip-config/
RUN dotnet publish src/Intake.Server/Intake.Server.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY sip-config/ /app/sip-config/
RUN mkdir -p /var/lib/intake
ENV Intake__DataDirectory=/var/lib/intake
VOLUME ["/var/lib/intake"]
# SIP (UDP and TCP), gRPC, and the RTP range of the default configuration.
EXPOSE 5060/udp 5060/tcp 50051/tcp 20000-29999/udp
ENTRYPOINT ["dotnet", "Intake.Server.dll"]
